/** Little helpers the two demo pages share. */

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

/** "100 000 sats", with a thin space between thousands as the pages' copy writes amounts. */
export function formatSats(msats: number): string {
  const sats = msats / 1000;
  const text = Number.isInteger(sats) ? String(sats) : sats.toFixed(3);
  return `${text.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')} sats`;
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
