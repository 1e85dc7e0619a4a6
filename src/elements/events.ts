/**
 * Every DOM event the elements fire: lowercase, `ms-` prefixed, bubbling and
 * composed, each a CustomEvent with a typed `detail`. The global map below
 * types `addEventListener('ms-…', …)` on the elements, `document` and `window`.
 */
import type {BeaconJson} from '../core/beacon.js';
import type {ErrorCode} from '../core/errors.js';
import type {InvoiceRequest, PayRequest} from '../core/stack/provider-stack.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import type {StackState} from '../core/stack/stack.js';

export interface MsStateDetail {
  state: StackState;
  previous: StackState;
}

export interface MsErrorDetail {
  code: ErrorCode;
  message: string;
}

export interface MsProviderInfoDetail {
  providerInfo: ProviderInfo;
}

export interface MsInvoiceDetail {
  bolt11: string;
  requestUuid: string;
}

export interface MsPreimageDetail {
  preimage: string;
  requestUuid: string;
  bolt11: string;
  /** True when the answer arrived after the request had already failed as "outcome unknown". */
  late: boolean;
}

export interface MsPaymentReceivedDetail {
  preimage: string;
  paymentHash: string;
  bolt11: string | undefined;
  requestUuid: string | undefined;
}

export interface MsPingDetail {
  rttMs: number;
}

/**
 * A request the page decides on. Call `preventDefault()` to refuse, or
 * `respondWith(promise)` to answer asynchronously; with neither, the element
 * refuses it.
 */
export interface MsRequestDetail<Request, Answer> {
  request: Request;
  respondWith(answer: Answer | Promise<Answer>): void;
}

export type MsInvoiceRequestDetail = MsRequestDetail<InvoiceRequest, string>;
export type MsPayRequestDetail = MsRequestDetail<PayRequest, string>;

export interface MsBeaconDetail {
  beacon: string;
  decoded: BeaconJson;
}

export interface MsCopyDetail {
  text: string;
}

/** Where `<ms-payment>` stands; see the element for each state. */
export type MsPaymentState = 'idle' | 'loading' | 'ready' | 'paying' | 'paid' | 'failed' | 'outcome-unknown' | 'expired' | 'error';

export interface MsPaymentStateDetail {
  state: MsPaymentState;
  previous: MsPaymentState;
}

export interface MsPaidDetail {
  /** Checked against the payment hash; undefined when the page set `paid`. */
  preimage: string | undefined;
  invoice: string;
  paymentHash: string;
  /** `moneysocket`: paid by a Moneysocket wallet on this page; `external`: by another wallet, as the page or our own wallet learnt. */
  how: 'moneysocket' | 'external';
}

declare global {
  /**
   * Every `ms-` event, merged into the map that `HTMLElementEventMap`,
   * `DocumentEventMap` and `WindowEventMap` all extend, so listeners on the
   * elements, on `document` and on `window` get the typed `detail`.
   */
  interface GlobalEventHandlersEventMap {
    'ms-state': CustomEvent<MsStateDetail>;
    'ms-connected': CustomEvent<Record<string, never>>;
    'ms-disconnected': CustomEvent<Record<string, never>>;
    'ms-provider-info': CustomEvent<MsProviderInfoDetail>;
    'ms-invoice': CustomEvent<MsInvoiceDetail>;
    'ms-preimage': CustomEvent<MsPreimageDetail>;
    'ms-payment-received': CustomEvent<MsPaymentReceivedDetail>;
    'ms-ping': CustomEvent<MsPingDetail>;
    'ms-error': CustomEvent<MsErrorDetail>;
    'ms-invoice-request': CustomEvent<MsInvoiceRequestDetail>;
    'ms-pay-request': CustomEvent<MsPayRequestDetail>;
    'ms-beacon': CustomEvent<MsBeaconDetail>;
    'ms-copy': CustomEvent<MsCopyDetail>;
    'ms-paid': CustomEvent<MsPaidDetail>;
    'ms-payment-state': CustomEvent<MsPaymentStateDetail>;
  }
}

/** The `ms-` events alone, read from the global map above so the list is written once. */
export type MsEventMap = {
  [K in keyof GlobalEventHandlersEventMap as K extends `ms-${string}` ? K : never]: GlobalEventHandlersEventMap[K];
};
