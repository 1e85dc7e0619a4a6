/**
 * `moneysocket-elements/stack`: the consumer and provider stacks, their
 * layers, and the BOLT11 decoder they check invoices with.
 */
export * from './socket.js';
export * from './events.js';
export * from './layer.js';
export * from './stack.js';
export * from './provider-info.js';
export * from './consumer-stack.js';
export * from './provider-stack.js';
export {RendezvousLayer} from './rendezvous-layer.js';
export {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
export * from '../bolt11.js';
export type {WalletBackend, WalletEvent} from './wallet-backend.js';
export {MemoryStorage, type KeyValueStorage} from './storage.js';
export {refusal} from './answer-text.js';
export {DEFAULT_REPLAY_WINDOW_MS, type ProviderMemoryOptions} from './provider-memory.js';
export {hashOfPreimage, normalizePreimage, preimagePays} from '../preimage.js';
