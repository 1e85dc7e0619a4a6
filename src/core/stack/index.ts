/**
 * `moneysocket-elements/stack`: the consumer and provider stacks, what they
 * are configured with, and the layer interface applications extend them
 * through. The BOLT11 decoder they check invoices with is `./bolt11`.
 */
export {ConsumerStack, DEFAULT_CONSUMER_TIMEOUTS, type ConsumerEvents, type ConsumerStackOptions, type ConsumerTimeouts} from './consumer-stack.js';
export {
  ProviderStack,
  type InvoiceHandler,
  type InvoiceRequest,
  type PayHandler,
  type PayRequest,
  type ProviderEvents,
  type ProviderInfoInput,
  type ProviderStackOptions,
} from './provider-stack.js';
export type {Stack, StackEvents, StackOptions, StackState} from './stack.js';
export type {FrameCipher} from '../frame.js';
export type {ProviderInfo} from './provider-info.js';
export type {SocketFactory, SocketLike} from './socket.js';
export type {ConnectionCloseReason, Layer, LayerContext, LayerStatus} from './layer.js';
export {DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
export {DEFAULT_REPLAY_WINDOW_MS, type ProviderMemoryOptions} from './provider-memory.js';
export {MemoryStorage, type KeyValueStorage} from './storage.js';
export type {WalletBackend, WalletEvent} from './wallet-backend.js';
export {refusal} from './answer-text.js';
