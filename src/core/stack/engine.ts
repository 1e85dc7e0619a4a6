/**
 * The stacks' session engine: everything a stack needs only once it
 * connects (the frame codec and its AES, message validation, the layers, the
 * request bookkeeping and the money rules). The stack classes load it on
 * their first `connect()` or request, so that a page's first paint does not
 * wait for it; see `lazy-engine.ts`.
 */
export {decodeBolt11} from '../bolt11.js';
export {scheduledCbc} from '../cbc.js';
export {DEFAULT_MAX_FRAME_BYTES} from '../frame.js';
export {defaultRegistry} from '../message-types.js';
export {Connection} from './connection.js';
export {ConsumerSession} from './consumer-session.js';
export {ProviderSession} from './provider-session.js';
