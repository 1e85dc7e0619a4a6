/** Little helpers the demo pages share. */
import {displaySats} from '../../src/elements/internal/balance.js';

export interface DemoConfig {
  relayUrl: string;
  /** The demo's own Nostr Wallet Connect wallet (play money), when the server offers one. */
  nwcUrl?: string;
}

/** The relay the server started; `?relay=ws://…` overrides it (another relay, another machine). */
export async function loadConfig(): Promise<DemoConfig> {
  const override = new URLSearchParams(location.search).get('relay');
  if (override) return {relayUrl: override}; // another machine's relay: the NWC wallet here would not be theirs
  const response = await fetch('/demo-config.json', {signal: AbortSignal.timeout(10_000)});
  if (!response.ok) throw new Error(`demo-config.json: HTTP ${response.status}`);
  return (await response.json()) as DemoConfig;
}

/**
 * Amounts as the elements show them ("100,000 sats" in English): the pages,
 * the elements and the framework demos use this one formatter.
 */
export function formatSats(msats: number | bigint): string {
  return displaySats(msats);
}

/** Writes every `[data-msats]` element's amount with the same formatter, so static copy reads like the rest. */
export function fillAmounts(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-msats]')) element.textContent = formatSats(Number(element.dataset.msats));
}

/** Adds a line at the top of an activity log (a list with aria-live). */
export function logLine(list: HTMLElement, text: string, tone: 'info' | 'good' | 'bad' = 'info'): void {
  const item = document.createElement('li');
  item.className = tone;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  item.append(time, ` ${text}`);
  list.prepend(item);
  while (list.children.length > 50) list.lastElementChild?.remove();
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A random id for this tab's ledger: each tab is its own wallet. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}
