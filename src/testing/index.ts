/**
 * `moneysocket-elements/testing`: try and test Moneysocket without a
 * Lightning node. A toy ledger that issues real signed BOLT #11 invoices and
 * pays them over an in-memory stand-in for the Lightning network, and the
 * invoice signer it uses. Not part of the protocol core: it needs secp256k1.
 */
export {DemoLedger, InMemoryDemoNetwork, type DemoLedgerOptions, type DemoNetwork, type IssuedInvoice, type Settlement} from './demo-ledger.js';
export {BroadcastDemoNetwork, type BroadcastDemoNetworkOptions} from './broadcast-network.js';
export {createSignedInvoice, newPreimage, recoverPayeeNodeKey, verifyInvoiceSignature, type InvoiceOptions} from './invoice-signer.js';
