/** Loads invoice-code.ts once, on first need; a failed load (a chunk the network lost) is tried again on the next call. */
import {MoneysocketError} from '../../core/errors.js';

export type InvoiceCode = typeof import('./invoice-code.js');

let code: InvoiceCode | undefined;
let loading: Promise<InvoiceCode> | undefined;

/** The invoice code, if it has been loaded. */
export function loadedInvoiceCode(): InvoiceCode | undefined {
  return code;
}

export function loadInvoiceCode(): Promise<InvoiceCode> {
  loading ??= import('./invoice-code.js').then(
    (module) => (code = module),
    (error: unknown) => {
      loading = undefined;
      const why = error instanceof Error ? error.message : String(error);
      throw new MoneysocketError('CONNECTION_FAILED', `could not load the invoice decoder (${why}); try again`);
    },
  );
  return loading;
}
