/**
 * Every DOM event the elements fire: lowercase, `ms-` prefixed, bubbling and
 * composed, each a CustomEvent with a typed `detail`. The global map below
 * types `addEventListener('ms-…', …)` on the elements, `document` and `window`.
 */
import type {BeaconJson} from '../core/beacon.js';
import type {ErrorCode} from '../core/errors.js';
import type {InvoiceRequest, PayRequest} from '../core/stack/provider-stack.js';
import type {ProviderInfo} from '../core/stack/provider-info.js';
import type {LocationSwitchReason, StackState} from '../core/stack/stack.js';

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

/** The element moved to another of the beacon's relay locations. */
export interface MsLocationDetail {
  /** The relay it tries now. */
  url: string;
  /** The relay it left. */
  previous: string;
  /** Why: the relay could not be reached, the connection dropped, or the relay stopped answering. */
  reason: LocationSwitchReason;
}

export interface MsPingDetail {
  rttMs: number;
}

/**
 * A request the page decides on, in a cancelable event. A listener does one
 * of two things, synchronously, while the event is dispatched:
 *
 * - `detail.respondWith(answer)` answers (a value or a promise: what it
 *   settles to goes to the app);
 * - `event.preventDefault()` refuses (the app is told nothing was attempted).
 *
 * Never both: whichever comes second throws an `InvalidStateError` and
 * changes nothing, so the first decision stands (an answer is never
 * silently dropped, a refusal never silently overridden). A second
 * `respondWith()`, or one after the listener returned, throws too. With
 * neither, the provider's `backend` answers, or without one the request is
 * refused (`ms-request-refused`, `UNANSWERED`).
 */
export interface MsRequestDetail<Request, Answer> {
  request: Request;
  respondWith(answer: Answer | Promise<Answer>): void;
}

export type MsInvoiceRequestDetail = MsRequestDetail<InvoiceRequest, string>;
export type MsPayRequestDetail = MsRequestDetail<PayRequest, string>;

/**
 * Why `<ms-provider>` refused a request by itself: `OVER_LIMIT`
 * (`max-payment-msats`), `OVER_BUDGET` (`daily-budget-msats`), `UNANSWERED`
 * (no listener answered and there is no backend), `PAY_NOT_ALLOWED` /
 * `INVOICE_NOT_ALLOWED` (`payer` / `payee` not granted), `INVALID_REQUEST`
 * (an unusable or expired invoice, a replayed request).
 */
export type MsRefusalCode = 'OVER_LIMIT' | 'OVER_BUDGET' | 'UNANSWERED' | 'PAY_NOT_ALLOWED' | 'INVOICE_NOT_ALLOWED' | 'INVALID_REQUEST';

/** A request refused before the page was asked carries only its uuid. */
export interface MsUnseenRequest {
  requestUuid: string;
}

/** A request `<ms-provider>` refused by itself; the page's own refusals are not reported. */
export interface MsRequestRefusedDetail {
  kind: 'invoice' | 'pay';
  /** As `ms-invoice-request` or `ms-pay-request` carry it; only its uuid when refused before the page could be asked. */
  request: InvoiceRequest | PayRequest | MsUnseenRequest;
  code: MsRefusalCode;
  /** What the app is told, after "the provider refused: ". */
  message: string;
}

/** One request from the app, as `<ms-provider>` lists them (`activity`, `formatRequest`). */
export interface MsRequestActivity {
  requestUuid: string;
  kind: 'invoice' | 'pay';
  /** Unknown for a request refused before the page was asked. */
  msats: bigint | undefined;
  /** `unknown`: the payment may or may not have been made. */
  outcome: 'pending' | 'done' | 'refused' | 'failed' | 'unknown';
  /** Why it was refused or failed, as the app is told. */
  reason: string | undefined;
}

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
    'ms-location': CustomEvent<MsLocationDetail>;
    'ms-invoice-request': CustomEvent<MsInvoiceRequestDetail>;
    'ms-pay-request': CustomEvent<MsPayRequestDetail>;
    'ms-request-refused': CustomEvent<MsRequestRefusedDetail>;
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
