/**
 * The app's requests as `<ms-provider>` shows them: every one the stack
 * answered, with what the page saw of it. Requests the handlers never saw
 * were refused by the stack before the page could be asked.
 */
import {readErrorText} from '../../core/stack/answer-text.js';
import {BoundedMap} from '../../core/stack/bounded-map.js';
import type {ProviderEvents} from '../../core/stack/provider-stack.js';
import type {MsRequestActivity} from '../events.js';
import {displaySats} from './balance.js';

/** How many requests the element lists. */
const SHOWN = 5;

export class RequestLog {
  /** Every request seen lately, by uuid, to match its answer. */
  readonly #byUuid = new BoundedMap<string, MsRequestActivity>(1000);
  #recent: MsRequestActivity[] = [];

  /** Newest first. */
  get recent(): readonly MsRequestActivity[] {
    return this.#recent;
  }

  /** A request reached the element's handlers. */
  asked(kind: MsRequestActivity['kind'], requestUuid: string, msats: bigint): void {
    this.#add({requestUuid, kind, msats, outcome: 'pending', reason: undefined});
  }

  /** Records how a request ended; `seen` is false for one the stack refused before the handlers were asked. */
  answered(answer: ProviderEvents['answered']): {entry: MsRequestActivity; seen: boolean} {
    const known = this.#byUuid.get(answer.requestUuid);
    const entry = known ?? this.#add({requestUuid: answer.requestUuid, kind: answer.kind, msats: undefined, outcome: 'pending', reason: undefined});
    if (answer.notification !== 'NOTIFY_ERROR') {
      entry.outcome = 'done';
    } else {
      const {verdict, reason} = readErrorText(answer.errorMessage ?? '');
      entry.outcome = verdict === 'refused' ? 'refused' : verdict === 'unknown' ? 'unknown' : 'failed';
      entry.reason = reason;
    }
    return {entry, seen: known !== undefined};
  }

  #add(entry: MsRequestActivity): MsRequestActivity {
    this.#byUuid.set(entry.requestUuid, entry);
    this.#recent = [entry, ...this.#recent].slice(0, SHOWN);
    return entry;
  }
}

const DONE = {invoice: 'invoice made', pay: 'paid'} as const;

/** The default words for one request: what the app asked, then how it ended. */
export function describeRequest(entry: MsRequestActivity): string {
  const amount = entry.msats === undefined ? undefined : displaySats(entry.msats);
  const what = entry.kind === 'invoice'
    ? (amount === undefined ? 'An invoice' : `An invoice for ${amount}`)
    : (amount === undefined ? 'A payment' : `A payment of ${amount}`);
  switch (entry.outcome) {
    case 'pending': return `${what}: waiting for an answer`;
    case 'done': return `${what}: ${DONE[entry.kind]}`;
    case 'refused': return `${what}: refused (${entry.reason})`;
    case 'unknown': return `${what}: outcome unknown (${entry.reason})`;
    case 'failed': return `${what}: failed (${entry.reason})`;
  }
}
