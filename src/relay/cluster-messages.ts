/**
 * What relay nodes publish to each other's channel: a frame for one of the
 * receiving node's connections, untouched, or a notice about a pairing.
 * One type byte first; a frame then has its connection id (length-prefixed)
 * and the frame's bytes, a notice its JSON.
 */
import type {RemotePeer} from './pairing-backend.js';

const FRAME = 1;
const NOTICE = 2;

export interface Notice {
  /** 'paired': a connection of the sender paired with the receiver's waiter; 'end': it left. */
  t: 'paired' | 'end';
  /** The connection it is for, on the receiving node. */
  to: string;
  rv: string;
  from: RemotePeer;
}

export type Message = {kind: 'frame'; to: string; frame: Buffer} | {kind: 'notice'; to: string; notice: Notice};

export function frameMessage(to: string, frame: Uint8Array): Buffer {
  const id = Buffer.from(to);
  const message = Buffer.allocUnsafe(3 + id.length + frame.length);
  message[0] = FRAME;
  message.writeUInt16BE(id.length, 1);
  id.copy(message, 3);
  message.set(frame, 3 + id.length);
  return message;
}

export function noticeMessage(notice: Notice): Buffer {
  return Buffer.concat([Buffer.of(NOTICE), Buffer.from(JSON.stringify(notice))]);
}

/** Undefined for anything malformed: it came through Redis, but is still checked. */
export function readMessage(message: Buffer): Message | undefined {
  if (message[0] === FRAME && message.length >= 3) {
    const length = message.readUInt16BE(1);
    if (message.length < 3 + length) return undefined;
    return {kind: 'frame', to: message.subarray(3, 3 + length).toString(), frame: message.subarray(3 + length)};
  }
  if (message[0] !== NOTICE) return undefined;
  const notice = parseNotice(message.subarray(1));
  return notice === undefined ? undefined : {kind: 'notice', to: notice.to, notice};
}

function parseNotice(bytes: Buffer): Notice | undefined {
  try {
    const value = JSON.parse(bytes.toString()) as Partial<Notice>;
    const from = value.from;
    if ((value.t !== 'paired' && value.t !== 'end') || typeof value.to !== 'string' || typeof value.rv !== 'string') return undefined;
    if (typeof from?.node !== 'string' || typeof from.conn !== 'string') return undefined;
    return {t: value.t, to: value.to, rv: value.rv, from: {node: from.node, conn: from.conn}};
  } catch {
    return undefined;
  }
}
