/**
 * How `<ms-provider>` handles the app's requests: the budgets first, then
 * the page's cancelable events, then the backend; what it refuses by itself
 * is told to the page (`ms-request-refused`), and every request is logged
 * for the element to show.
 */
import {lazyModule} from '../../core/lazy-module.js';
import {refusal} from '../../core/stack/answer-text.js';
import type {InvoiceRequest, PayRequest, ProviderEvents} from '../../core/stack/provider-stack.js';
import type {MsRefusalCode, MsRequestRefusedDetail} from '../events.js';
import type {Limits, SpendingBudget} from './budget.js';
import {RequestLog} from './request-log.js';

type RequestEvents = typeof import('./request-event.js');

/**
 * The request events (request-event.ts) are a lazy chunk of the browser
 * build, like the session engine that brings requests: the element starts
 * loading them when it makes its stack, so they are there before the first
 * request. A failed load is tried again on the next request.
 */
const requestEvents = lazyModule<RequestEvents>(() => import('./request-event.js'), (why) => `could not load the request events (${why}); the app may ask again`);

export const loadRequestEvents = requestEvents.load;

export interface RequestHost {
  readonly budget: SpendingBudget;
  limits(): Limits;
  now(): number;
  /** Dispatches a request event on the element. */
  dispatch(event: Event): void;
  refused(detail: MsRequestRefusedDetail): void;
  /** The log changed: render again. */
  changed(): void;
  /** The backend's answer, when there is a backend. */
  invoiceFromBackend(request: InvoiceRequest): (() => Promise<string>) | undefined;
  payFromBackend(request: PayRequest): (() => Promise<string>) | undefined;
  /** What the stack tells the app it may do. */
  permissions(): {payer: boolean; payee: boolean} | undefined;
}

export class ProviderRequests {
  readonly log = new RequestLog();
  readonly #host: RequestHost;

  constructor(host: RequestHost) {
    this.#host = host;
  }

  invoice(request: InvoiceRequest): Promise<string> {
    this.#asked('invoice', request.requestUuid, BigInt(request.msats));
    return this.#askPage('invoice', 'ms-invoice-request', request, this.#host.invoiceFromBackend(request));
  }

  pay(request: PayRequest): Promise<string> {
    this.#asked('pay', request.requestUuid, request.msats);
    const host = this.#host;
    const over = host.budget.refusal(request.msats, host.limits(), host.now());
    if (over !== undefined) {
      host.refused({kind: 'pay', request, code: over.code, message: over.reason});
      return Promise.reject(refusal(over.reason));
    }
    const payment = this.#askPage('pay', 'ms-pay-request', request, host.payFromBackend(request));
    return host.budget.track(request.msats, payment, () => host.now());
  }

  /** How a request ended; one the stack refused before the handlers saw it is the element's refusal too. */
  answered(answer: ProviderEvents['answered']): void {
    const {entry, seen} = this.log.answered(answer);
    this.#host.changed();
    if (seen || entry.outcome !== 'refused') return;
    this.#host.refused({kind: answer.kind, request: {requestUuid: answer.requestUuid}, code: this.#stackRefusalCode(answer.kind), message: entry.reason ?? ''});
  }

  #asked(kind: 'invoice' | 'pay', requestUuid: string, msats: bigint): void {
    this.log.asked(kind, requestUuid, msats);
    this.#host.changed();
  }

  /** The page's answer or refusal, else the backend's answer, else a refusal the page is told of. */
  #askPage<R extends InvoiceRequest | PayRequest>(kind: 'invoice' | 'pay', type: string, request: R, byDefault: (() => Promise<string>) | undefined): Promise<string> {
    const ask = ({requestDispatch, UNANSWERED}: RequestEvents): Promise<string> => {
      const dispatch = requestDispatch<R, string>(type, request);
      this.#host.dispatch(dispatch.event);
      if (!dispatch.answered && !dispatch.event.defaultPrevented && byDefault === undefined) {
        this.#host.refused({kind, request, code: 'UNANSWERED', message: UNANSWERED});
      }
      return dispatch.resolveAnswer(byDefault);
    };
    const loaded = requestEvents.loaded();
    return loaded === undefined ? loadRequestEvents().then(ask) : ask(loaded);
  }

  /** The stack checks permissions, then the request itself, before any handler is asked. */
  #stackRefusalCode(kind: 'invoice' | 'pay'): MsRefusalCode {
    const allowed = this.#host.permissions();
    if (kind === 'pay' && allowed?.payer !== true) return 'PAY_NOT_ALLOWED';
    if (kind === 'invoice' && allowed?.payee !== true) return 'INVOICE_NOT_ALLOWED';
    return 'INVALID_REQUEST';
  }
}
