/**
 * What `<ms-payment>` reads invoices with: the BOLT11 decoder and the
 * preimage check. In the browser bundle this is a chunk of its own, loaded
 * by the first `<ms-payment>` on a page (lazy-invoice.ts), so that pages
 * without one do not carry it in the main file.
 */
export {decodeBolt11} from '../../core/bolt11.js';
export {preimagePays} from '../../core/preimage.js';
