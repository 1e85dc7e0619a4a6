/**
 * The browser's side of the demo "Lightning network" that the demo server
 * hosts: a DemoLedger in a tab registers its invoices and settles payments
 * over HTTP, and hears of payments to it over Server-Sent Events, so two tabs
 * (or two devices) can pay each other.
 */
import {MoneysocketError} from '../../src/core/errors.js';
import type {DemoNetwork, IssuedInvoice, Settlement} from '../../src/testing/demo-ledger.js';

/** What the server sends when one of a ledger's invoices was paid. */
export interface PaidEvent {
  paymentHash: string;
  preimage: string;
  msats: number;
}

/** No demo request should take long; a stuck one must not hang a payment forever. */
const REQUEST_TIMEOUT_MS = 15_000;

export class HttpDemoNetwork implements DemoNetwork {
  /** `base` is the API's root: relative in pages, absolute in Node tests. */
  constructor(private readonly base = '/demo-ln') {}

  async register(invoice: IssuedInvoice, payee: string): Promise<void> {
    await postJson(`${this.base}/register`, {invoice, payee});
  }

  settle(bolt11: string, payer: string): Promise<Settlement> {
    return postJson<Settlement>(`${this.base}/settle`, {bolt11, payer});
  }
}

/**
 * POSTs JSON and resolves with the JSON answer. Rejects with a
 * MoneysocketError carrying the server's `{error}` text: the provider sends
 * that text back to the app, so it should say what went wrong.
 */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new MoneysocketError('REQUEST_FAILED', `the demo network did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = (await response.json().catch(() => ({}))) as T & {error?: string};
  if (!response.ok) throw new MoneysocketError('REQUEST_FAILED', answer.error ?? `the demo network answered ${response.status}`);
  return answer;
}

export interface PaymentSubscription {
  /** Resolves once the server listens for this ledger, or rejects after `timeoutMs`. */
  ready: Promise<void>;
  close(): void;
}

/** Listens for payments to `ledgerId`; the browser reconnects the stream by itself if it drops. */
export function subscribeToPayments(ledgerId: string, onPaid: (event: PaidEvent) => void, base = '/demo-ln', timeoutMs = 10_000): PaymentSubscription {
  const source = new EventSource(`${base}/events?ledger=${encodeURIComponent(ledgerId)}`);
  source.addEventListener('paid', (event) => {
    const paid = parsePaid((event as MessageEvent<string>).data);
    if (paid) onPaid(paid);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the demo network did not open its event stream')), timeoutMs);
    source.addEventListener('ready', () => (clearTimeout(timer), resolve()), {once: true});
  });
  return {ready, close: () => source.close()};
}

function parsePaid(data: string): PaidEvent | undefined {
  try {
    const value = JSON.parse(data) as Partial<PaidEvent>;
    const valid = typeof value.paymentHash === 'string' && typeof value.preimage === 'string' && Number.isSafeInteger(value.msats);
    return valid ? (value as PaidEvent) : undefined;
  } catch {
    return undefined;
  }
}
