/**
 * `moneysocket-elements/bridges`: Moneysocket to and from the wallets people
 * already use. Kept out of the main browser bundle: a page imports this entry
 * and hands what it builds to the elements (`<ms-provider>.backend`).
 *
 * - `WebLNBackend`: a provider served from any WebLN object (`window.webln`).
 * - `ConsumerWebLN`: the WebLN provider interface over a `ConsumerStack`
 *   (what `<ms-consumer>.webln` returns).
 * - `connectNwc`: a provider served from a Nostr Wallet Connect string (what
 *   `<ms-provider nwc>` loads on demand).
 */
export {WebLNBackend, type WebLNBackendOptions} from './webln-backend.js';
export {ConsumerWebLN, type ConsumerWebLNOptions} from './consumer-webln.js';
export {exactMsats, msatsToSats, satsToMsats} from './sats.js';
export type {WalletBackend, WalletEvent} from '../core/stack/wallet-backend.js';
export {connectNwc, type NwcBackend, type NwcBackendOptions} from './nwc-backend.js';
