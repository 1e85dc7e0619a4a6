/**
 * The fourteen v0 message types (PROTOCOL.md section 5), their field checks
 * with the reference wording, and typed constructors.
 */
import {
  buildNotification,
  buildRequest,
  MessageRegistry,
  type EnvelopeOptions,
  type Message,
  type MessageSpec,
  type NotificationEnvelope,
  type RequestEnvelope,
} from './message-codec.js';
import {isUuid} from './uuid.js';
import {checkWadForWire, validateWad, type Wad} from './wad.js';

/**
 * Own fields of each request type. Applications that register their own
 * types can add them here by declaration merging.
 */
export interface RequestFields {
  REQUEST_RENDEZVOUS: {rendezvous_id: string};
  REQUEST_PROVIDER: Record<never, never>;
  REQUEST_PING: Record<never, never>;
  REQUEST_INVOICE: {msats: number};
  REQUEST_PAY: {bolt11: string};
}

export interface NotificationFields {
  NOTIFY_RENDEZVOUS: {rendezvous_id: string};
  NOTIFY_RENDEZVOUS_NOT_READY: {rendezvous_id: string};
  NOTIFY_RENDEZVOUS_END: {rendezvous_id: string};
  NOTIFY_PROVIDER: {account_uuid: string; payer: boolean; payee: boolean; wad: Wad | null};
  NOTIFY_PROVIDER_NOT_READY: Record<never, never>;
  NOTIFY_PONG: Record<never, never>;
  NOTIFY_INVOICE: {bolt11: string};
  NOTIFY_PREIMAGE: {preimage: string; ext: string | null};
  NOTIFY_ERROR: {error_msg: string};
}

export type RequestName = keyof RequestFields;
export type NotificationName = keyof NotificationFields;

export type Request<N extends RequestName = RequestName> = N extends RequestName
  ? RequestEnvelope<N> & RequestFields[N]
  : never;
export type Notification<N extends NotificationName = NotificationName> = N extends NotificationName
  ? NotificationEnvelope<N> & NotificationFields[N]
  : never;

/** The four messages the relay must read: always sent in clear. */
export const CLEAR_MESSAGE_NAMES: ReadonlySet<string> = new Set([
  'REQUEST_RENDEZVOUS',
  'NOTIFY_RENDEZVOUS',
  'NOTIFY_RENDEZVOUS_NOT_READY',
  'NOTIFY_RENDEZVOUS_END',
]);

/** The largest `ext` js accepts on NOTIFY_PREIMAGE. */
export const MAX_EXT_LENGTH = 4096;

type Fields = Record<string, unknown>;

function hex256(m: Fields, key: string): string | undefined {
  if (!(key in m)) return `no ${key} included`;
  const value = m[key];
  if (typeof value !== 'string') return `unknown ${key} type`;
  // js only looks for six hex digits somewhere; we check every character.
  if (!/^[0-9a-fA-F]*$/.test(value)) return `${key} not hex string`;
  return value.length === 64 ? undefined : `${key} not 256-bit value hex string`;
}

function bolt11(m: Fields): string | undefined {
  if (!('bolt11' in m)) return 'no bolt11 included';
  if (typeof m['bolt11'] !== 'string') return 'unknown bolt11 type';
  // The only check either library makes: case-sensitive "lnbc" (mainnet and regtest).
  return m['bolt11'].startsWith('lnbc') ? undefined : "doesn't look like a bolt11";
}

function msats(m: Fields): string | undefined {
  if (!('msats' in m)) return 'no msats included';
  const value = m['msats'];
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'unknown msats type';
  return value > 0 ? undefined : 'msats must be a positive non-zero value';
}

/** js accepts fractional msats; py (and we, when sending) require an integer. */
function msatsOutgoing(m: Fields): string | undefined {
  return Number.isSafeInteger(m['msats']) ? undefined : 'msats must be a whole number of millisatoshis';
}

function isBoolean(m: Fields, key: string): string | undefined {
  return typeof m[key] === 'boolean' ? undefined : `${key} must be True or False`;
}

function providerFields(m: Fields): string | undefined {
  if (!('account_uuid' in m)) return 'no account_uuid included';
  if (typeof m['account_uuid'] !== 'string') return 'unknown account_uuid type';
  if (!isUuid(m['account_uuid'])) return 'invalid account_uuid';
  const flags = isBoolean(m, 'payee') ?? isBoolean(m, 'payer');
  if (flags !== undefined) return flags;
  // js tolerates a missing wad and keeps null; py would raise. We read both as null.
  if (m['wad'] === undefined || m['wad'] === null) {
    m['wad'] = null;
    return undefined;
  }
  if (typeof m['wad'] !== 'object' || Array.isArray(m['wad'])) return 'wad must be a dictionary';
  const wad = validateWad(m['wad']);
  return wad.ok ? undefined : (wad.error.reason ?? wad.error.message);
}

/** What we send must satisfy py too: every key present, a wad py accepts. */
function providerOutgoing(m: Fields): string | undefined {
  if (m['wad'] === null) return 'send a wad (py reads null as an empty BTC wad)';
  const wad = checkWadForWire(m['wad']);
  return wad.ok ? undefined : `wad would be rejected by py peers: ${wad.error.reason ?? wad.error.message}`;
}

function preimageFields(m: Fields): string | undefined {
  const preimage = hex256(m, 'preimage');
  if (preimage !== undefined) return preimage;
  if (m['ext'] === undefined) m['ext'] = null; // js tolerates its absence
  if (m['ext'] === null) return undefined;
  if (typeof m['ext'] !== 'string') return 'unknown ext field type';
  return m['ext'].length > MAX_EXT_LENGTH ? `ext is longer than ${MAX_EXT_LENGTH} characters` : undefined;
}

function errorFields(m: Fields): string | undefined {
  if (!('error_msg' in m)) return 'no error_msg included';
  const value = m['error_msg'];
  if (typeof value === 'string') return undefined;
  return 'unknown error_msg type';
}

function spec(
  name: string,
  messageClass: MessageSpec['messageClass'],
  cryptLevel: MessageSpec['cryptLevel'],
  validate?: MessageSpec['validate'],
  validateOutgoing?: MessageSpec['validateOutgoing'],
): MessageSpec {
  const s: MessageSpec = {name, messageClass, cryptLevel};
  if (validate) s.validate = validate;
  if (validateOutgoing) s.validateOutgoing = validateOutgoing;
  return s;
}

const rendezvousId = (m: Fields) => hex256(m, 'rendezvous_id');
const lowercaseRendezvousId = (m: Fields) =>
  /^[0-9a-f]{64}$/.test(String(m['rendezvous_id'])) ? undefined : 'rendezvous_id must be lowercase hex';

export const V0_MESSAGE_SPECS: readonly MessageSpec[] = [
  spec('REQUEST_RENDEZVOUS', 'REQUEST', 'CLEAR', rendezvousId, lowercaseRendezvousId),
  spec('REQUEST_PROVIDER', 'REQUEST', 'AES'),
  spec('REQUEST_PING', 'REQUEST', 'AES'),
  spec('REQUEST_INVOICE', 'REQUEST', 'AES', msats, msatsOutgoing),
  spec('REQUEST_PAY', 'REQUEST', 'AES', bolt11),
  spec('NOTIFY_RENDEZVOUS', 'NOTIFICATION', 'CLEAR', rendezvousId),
  spec('NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFICATION', 'CLEAR', rendezvousId),
  spec('NOTIFY_RENDEZVOUS_END', 'NOTIFICATION', 'CLEAR', rendezvousId),
  spec('NOTIFY_PROVIDER', 'NOTIFICATION', 'AES', providerFields, providerOutgoing),
  spec('NOTIFY_PROVIDER_NOT_READY', 'NOTIFICATION', 'AES'),
  spec('NOTIFY_PONG', 'NOTIFICATION', 'AES'),
  spec('NOTIFY_INVOICE', 'NOTIFICATION', 'AES', bolt11),
  spec('NOTIFY_PREIMAGE', 'NOTIFICATION', 'AES', preimageFields),
  spec('NOTIFY_ERROR', 'NOTIFICATION', 'AES', errorFields),
];

/** A fresh registry holding the v0 types; extend it for app-specific messages. */
export function createRegistry(extra: Iterable<MessageSpec> = []): MessageRegistry {
  return new MessageRegistry([...V0_MESSAGE_SPECS, ...extra]);
}

/** The shared v0 registry, used when a caller does not pass its own. */
export const defaultRegistry: MessageRegistry = createRegistry();

export function createRequest<N extends RequestName>(
  name: N,
  fields: RequestFields[N],
  options?: EnvelopeOptions,
): Request<N> {
  return buildRequest(name, fields, options) as unknown as Request<N>;
}

export function createNotification<N extends NotificationName>(
  name: N,
  requestReferenceUuid: string | null,
  fields: NotificationFields[N],
  options?: EnvelopeOptions,
): Notification<N> {
  return buildNotification(name, requestReferenceUuid, fields, options) as unknown as Notification<N>;
}

/** Narrows a decoded message to a known request type. */
export function isRequest<N extends RequestName>(message: Message, name: N): message is Message & Request<N> {
  return message.message_class === 'REQUEST' && message.request_name === name;
}

export function isNotification<N extends NotificationName>(
  message: Message,
  name: N,
): message is Message & Notification<N> {
  return message.message_class === 'NOTIFICATION' && message.notification_name === name;
}
