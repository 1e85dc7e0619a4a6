/** Loads invoice-code.ts once, on first need; a failed load (a chunk the network lost) is tried again on the next call. */
import {lazyModule} from '../../core/lazy-module.js';

export type InvoiceCode = typeof import('./invoice-code.js');

const invoiceCode = lazyModule<InvoiceCode>(() => import('./invoice-code.js'), (why) => `could not load the invoice decoder (${why}); try again`);

/** The invoice code, if it has been loaded. */
export const loadedInvoiceCode = invoiceCode.loaded;

export const loadInvoiceCode = invoiceCode.load;
