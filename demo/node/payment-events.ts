/**
 * Server-Sent Events that tell a browser ledger one of its invoices was paid.
 * Events for a ledger with no open stream wait in a short queue, so a payment
 * made while a tab reconnects is still delivered.
 */
import type {ServerResponse} from 'node:http';
import {HttpError} from './http-json.js';

export interface PaidEvent {
  paymentHash: string;
  preimage: string;
  msats: number;
}

const MAX_STREAMS = 500;
const MAX_QUEUED_PER_LEDGER = 100;
/** Proxies and browsers drop idle streams; a comment every 15 s keeps them open. */
const HEARTBEAT_MS = 15_000;

export class PaymentEvents {
  readonly #streams = new Map<string, Set<ServerResponse>>();
  readonly #queued = new Map<string, PaidEvent[]>();
  readonly #heartbeat = setInterval(() => this.#everyStream((res) => res.write(': keep-alive\n\n')), HEARTBEAT_MS);
  #count = 0;

  constructor() {
    this.#heartbeat.unref();
  }

  /** Opens the stream; sends `ready` at once, then anything queued. */
  subscribe(ledger: string, res: ServerResponse): void {
    if (this.#count >= MAX_STREAMS) throw new HttpError(503, 'too many event streams');
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
    const streams = this.#streams.get(ledger) ?? new Set();
    streams.add(res);
    this.#streams.set(ledger, streams);
    this.#count++;
    res.on('close', () => this.#remove(ledger, res));
    for (const event of this.#queued.get(ledger) ?? []) write(res, event);
    this.#queued.delete(ledger);
  }

  deliver(ledger: string, event: PaidEvent): void {
    const streams = this.#streams.get(ledger);
    if (streams && streams.size > 0) return streams.forEach((res) => write(res, event));
    const queue = this.#queued.get(ledger) ?? [];
    if (queue.length < MAX_QUEUED_PER_LEDGER) queue.push(event);
    this.#queued.set(ledger, queue);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    this.#everyStream((res) => res.end());
  }

  #remove(ledger: string, res: ServerResponse): void {
    const streams = this.#streams.get(ledger);
    if (!streams?.delete(res)) return;
    this.#count--;
    if (streams.size === 0) this.#streams.delete(ledger);
  }

  #everyStream(action: (res: ServerResponse) => void): void {
    for (const streams of this.#streams.values()) streams.forEach(action);
  }
}

function write(res: ServerResponse, event: PaidEvent): void {
  res.write(`event: paid\ndata: ${JSON.stringify(event)}\n\n`);
}
