/**
 * A type-level test: compiled by the type check of `npm test`, never run.
 * Every `ms-` event is merged into `GlobalEventHandlersEventMap`, so a
 * listener on `document`, on `window` or on any element gets its typed
 * `detail`; each `@ts-expect-error` below fails the type check if a wrong
 * access stops being an error.
 */
import type {ErrorCode} from '../../src/core/errors.js';
import type {
  MsBeaconDetail,
  MsCopyDetail,
  MsErrorDetail,
  MsEventMap,
  MsPaidDetail,
  MsPaymentState,
  MsPayRequestDetail,
  MsPreimageDetail,
  MsRefusalCode,
  MsStateDetail,
} from '../../src/elements/events.js';

/** True when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type AllEvents =
  | 'ms-state'
  | 'ms-connected'
  | 'ms-disconnected'
  | 'ms-provider-info'
  | 'ms-invoice'
  | 'ms-preimage'
  | 'ms-payment-received'
  | 'ms-ping'
  | 'ms-error'
  | 'ms-location'
  | 'ms-invoice-request'
  | 'ms-pay-request'
  | 'ms-request-refused'
  | 'ms-beacon'
  | 'ms-copy'
  | 'ms-paid'
  | 'ms-payment-state';

export const everyEventIsInTheMap: Equal<keyof MsEventMap, AllEvents> = true;
export const onWindow: Equal<WindowEventMap['ms-preimage'], CustomEvent<MsPreimageDetail>> = true;
export const onDocument: Equal<DocumentEventMap['ms-beacon'], CustomEvent<MsBeaconDetail>> = true;
export const onElements: Equal<HTMLElementEventMap['ms-copy'], CustomEvent<MsCopyDetail>> = true;
export const onSvgAndShadowRoots: Equal<SVGElementEventMap['ms-state'], CustomEvent<MsStateDetail>> = true;
export const mapMatchesGlobals: Equal<MsEventMap['ms-error'], GlobalEventHandlersEventMap['ms-error']> = true;
export const paidOnDocument: Equal<DocumentEventMap['ms-paid'], CustomEvent<MsPaidDetail>> = true;
// @ts-expect-error there is no `ms-payment-failed` event: failures are `ms-error`, states `ms-payment-state`
export type NoSuchEvent = GlobalEventHandlersEventMap['ms-payment-failed'];

export function listenOnDocumentAndWindow(): void {
  document.addEventListener('ms-preimage', (event) => {
    const preimage: string = event.detail.preimage;
    const late: boolean = event.detail.late;
    // @ts-expect-error a preimage event carries no amount
    void event.detail.msats;
    void [preimage, late];
  });
  window.addEventListener('ms-error', (event) => {
    const code: ErrorCode = event.detail.code;
    // @ts-expect-error the code is an ErrorCode, not a number
    const asNumber: number = event.detail.code;
    void [code, asNumber];
  });
  document.addEventListener('ms-pay-request', (event) => {
    const detail: MsPayRequestDetail = event.detail;
    detail.respondWith(Promise.resolve('preimage hex'));
    // @ts-expect-error the answer is the preimage as a hex string
    detail.respondWith(42);
    event.preventDefault();
  });
}

export function listenForRefusals(el: HTMLElement): void {
  el.addEventListener('ms-request-refused', (event) => {
    const code: MsRefusalCode = event.detail.code;
    const kind: 'invoice' | 'pay' = event.detail.kind;
    const uuid: string = event.detail.request.requestUuid;
    if ('bolt11' in event.detail.request) void event.detail.request.invoice.paymentHash;
    // @ts-expect-error a refusal code is one of the element's own, not any string
    const other: 'NOPE' = event.detail.code;
    void [code, kind, uuid, other];
  });
}

export function listenForPayments(el: HTMLElement): void {
  el.addEventListener('ms-paid', (event) => {
    const how: 'moneysocket' | 'external' = event.detail.how;
    const preimage: string | undefined = event.detail.preimage;
    // @ts-expect-error the preimage is undefined when the page set `paid`
    const always: string = event.detail.preimage;
    void [how, preimage, always];
  });
  el.addEventListener('ms-payment-state', (event) => {
    const state: MsPaymentState = event.detail.state;
    // @ts-expect-error payment states are not connection states
    const connection: 'connected' = event.detail.previous;
    void [state, connection];
  });
}

export function listenOnAnElement(el: HTMLElement): void {
  el.addEventListener('ms-error', (event) => {
    const detail: MsErrorDetail = event.detail;
    // @ts-expect-error an error event has no beacon
    void event.detail.beacon;
    void detail;
  });
  el.addEventListener('ms-state', (event) => {
    // @ts-expect-error the state is one of the stack states, not any string
    const state: 'offline' = event.detail.state;
    void state;
  });
}
