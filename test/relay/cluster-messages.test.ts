/** What relay nodes publish to each other: frames carried untouched, notices checked on the way in. */
import {expect} from 'chai';
import {batchMessage, frameMessage, noticeMessage, readMessage, readMessages} from '../../src/relay/cluster-messages.js';

describe('messages between cluster nodes', () => {
  it('carries a frame, every byte of it, for one connection', () => {
    for (const size of [0, 1, 208, 65536]) {
      const frame = Uint8Array.from({length: size}, (_, i) => (i * 37) & 0xff);
      const read = readMessage(frameMessage('12345', frame));
      expect(read?.kind).to.equal('frame');
      if (read?.kind !== 'frame') return;
      expect(read.to).to.equal('12345');
      expect(Buffer.compare(read.frame, Buffer.from(frame))).to.equal(0);
    }
  });

  it('carries notices, and refuses malformed ones', () => {
    const notice = {t: 'paired', to: '3', rv: 'ab', from: {node: 'n~1', conn: '9'}} as const;
    expect(readMessage(noticeMessage(notice))).to.deep.equal({kind: 'notice', to: '3', notice});
    for (const bad of [
      Buffer.of(2, ...Buffer.from('{')),
      Buffer.of(2, ...Buffer.from(JSON.stringify({...notice, t: 'other'}))),
      Buffer.of(2, ...Buffer.from(JSON.stringify({...notice, from: {node: 1}}))),
      Buffer.of(1, 0, 9, 0x31),
      Buffer.of(9),
      Buffer.alloc(0),
    ]) {
      expect(readMessage(bad), bad.toString('hex')).to.equal(undefined);
    }
  });

  it('carries a batch of frames and notices for one node, in order, and reads a lone message as a batch of one', () => {
    const notice = {t: 'paired', to: '7', rv: 'cd', from: {node: 'n~2', conn: '4'}} as const;
    const frames = [0, 1, 208, 70000].map((size) => Uint8Array.from({length: size}, (_, i) => (i * 13 + size) & 0xff));
    const parts = [noticeMessage(notice), ...frames.map((frame, i) => frameMessage(String(i), frame)), noticeMessage({...notice, t: 'end'})];
    const read = readMessages(batchMessage(parts));
    expect(read.map((m) => m.kind)).to.deep.equal(['notice', 'frame', 'frame', 'frame', 'frame', 'notice']);
    expect(read[0]).to.deep.equal({kind: 'notice', to: '7', notice});
    expect(read[5]).to.deep.equal({kind: 'notice', to: '7', notice: {...notice, t: 'end'}});
    frames.forEach((frame, i) => {
      const message = read[i + 1];
      expect(message?.kind === 'frame' && message.to === String(i) && Buffer.compare(message.frame, Buffer.from(frame)) === 0, `frame ${i}`).to.equal(true);
    });
    expect(readMessages(frameMessage('9', Uint8Array.of(1, 2)))).to.have.length(1);
    expect(readMessages(Buffer.of(9))).to.deep.equal([]);
  });

  it('skips a malformed message inside a batch, and stops where a batch\'s lengths stop making sense', () => {
    const good = frameMessage('1', Uint8Array.of(5));
    const batch = batchMessage([good, Buffer.of(9, 9), good]);
    expect(readMessages(batch).map((m) => m.to)).to.deep.equal(['1', '1']);
    const truncated = batch.subarray(0, batch.length - 1);
    expect(readMessages(truncated).map((m) => m.to)).to.deep.equal(['1']);
    const lying = Buffer.from(batch);
    lying.writeUInt32BE(0xffffffff, 1);
    expect(readMessages(lying)).to.deep.equal([]);
  });
});
