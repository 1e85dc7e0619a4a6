/**
 * `moneysocket-elements/bolt11`: the BOLT #11 decoder the stacks check
 * invoices with, and the one check that a preimage pays an invoice. The
 * signature check (secp256k1) is not here: `ConsumerStack` loads it on demand
 * (`verifyInvoiceSignatures`), and `moneysocket-elements/testing` exports it.
 */
export {
  BOLT11_MAX_LENGTH,
  decodeBolt11,
  isExpired,
  paymentHashOf,
  type Bolt11Network,
  type DecodedInvoice,
} from './bolt11.js';
export {hashOfPreimage, normalizePreimage, preimagePays} from './preimage.js';
