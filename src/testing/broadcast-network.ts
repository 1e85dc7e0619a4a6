/**
 * A DemoNetwork between the pages of one browser origin (tabs, frames,
 * workers; or the parts of one Node process), over a BroadcastChannel: a
 * DemoLedger in one tab pays an invoice that a DemoLedger in another tab
 * made. The page that registered an invoice is the only one that knows its
 * preimage, so it alone settles it and answers the payer. Play money for
 * demos and tests, as InMemoryDemoNetwork is; nothing here is Lightning.
 */
import {decodeBolt11} from '../core/bolt11.js';
import {MoneysocketError} from '../core/errors.js';
import {newUuid} from '../core/uuid.js';
import {InMemoryDemoNetwork, type DemoNetwork, type IssuedInvoice, type Settlement} from './demo-ledger.js';

type Wire =
  | {type: 'settle'; id: string; bolt11: string; payer: string}
  | {type: 'settled'; id: string; preimage: string; msats: number}
  | {type: 'refused'; id: string; message: string};

interface Waiting {
  resolve(settlement: Settlement): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface BroadcastDemoNetworkOptions {
  /** How long a payer waits for the page holding the invoice; then no route (nothing was paid). Default 5000 ms. */
  timeoutMs?: number;
}

export class BroadcastDemoNetwork implements DemoNetwork {
  /** The invoices this page made, settled as in one page. */
  readonly #here = new InMemoryDemoNetwork();
  readonly #hashesHere = new Set<string>();
  readonly #waiting = new Map<string, Waiting>();
  readonly #channel: BroadcastChannel;
  readonly #timeoutMs: number;

  /** Pages that use the same `name` pay each other. */
  constructor(name = 'moneysocket-demo-network', options: BroadcastDemoNetworkOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event: MessageEvent<Wire>) => void this.#receive(event.data);
  }

  /** Calls `onPaid` when an invoice this page made for `payee` is paid, from any page. */
  listen(payee: string, onPaid: (invoice: IssuedInvoice) => void): void {
    this.#here.listen(payee, onPaid);
  }

  async register(invoice: IssuedInvoice, payee: string): Promise<void> {
    this.#hashesHere.add(invoice.paymentHash);
    await this.#here.register(invoice, payee);
  }

  settle(bolt11: string, payer: string): Promise<Settlement> {
    const decoded = decodeBolt11(bolt11);
    if (!decoded.ok) return Promise.reject(decoded.error);
    if (this.#hashesHere.has(decoded.value.paymentHash)) return this.#here.settle(bolt11, payer);
    const id = newUuid();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new MoneysocketError('REQUEST_REFUSED', 'no route: no open page of this browser holds this invoice'));
      }, this.#timeoutMs);
      this.#waiting.set(id, {resolve, reject, timer});
      this.#channel.postMessage({type: 'settle', id, bolt11, payer} satisfies Wire);
    });
  }

  /** Stops answering and listening; payments still waiting are refused. */
  close(): void {
    this.#channel.close();
    for (const [id, waiting] of this.#waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new MoneysocketError('REQUEST_REFUSED', 'the demo network was closed'));
      this.#waiting.delete(id);
    }
  }

  async #receive(message: Wire): Promise<void> {
    if (message.type === 'settle') return this.#settleForAnotherPage(message);
    const waiting = this.#waiting.get(message.id);
    if (waiting === undefined) return;
    this.#waiting.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.type === 'settled') waiting.resolve({preimage: message.preimage, msats: message.msats});
    else waiting.reject(new MoneysocketError('REQUEST_REFUSED', message.message));
  }

  async #settleForAnotherPage({id, bolt11, payer}: {id: string; bolt11: string; payer: string}): Promise<void> {
    const decoded = decodeBolt11(bolt11);
    if (!decoded.ok || !this.#hashesHere.has(decoded.value.paymentHash)) return; // another page's, or nobody's
    try {
      const {preimage, msats} = await this.#here.settle(bolt11, payer);
      this.#channel.postMessage({type: 'settled', id, preimage, msats} satisfies Wire);
    } catch (error) {
      // The in-memory network only refuses (unknown, already paid, paid to oneself): nothing moved.
      const message = error instanceof Error ? error.message : String(error);
      this.#channel.postMessage({type: 'refused', id, message} satisfies Wire);
    }
  }
}
