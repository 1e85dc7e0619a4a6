/**
 * The NWC test wallet (nostr-relay.ts) from Node or Chromium: Node runs it in
 * process; the browser asks web-test-runner's middleware
 * (nostr-relay-control.mjs) to run it in the test server.
 */
import type {NwcFault, NwcMethod} from '../../demo/node/nwc-wallet-service.js';
import type {NwcFixtureStats} from './nostr-relay.js';

export interface TestNwcWallet {
  /** nostr+walletconnect://… for the app side. */
  connection: string;
  stats(): Promise<NwcFixtureStats>;
  setFault(method: NwcMethod, fault: NwcFault | undefined): Promise<void>;
  shopInvoice(msats: number): Promise<{bolt11: string; paymentHash: string; preimage: string}>;
  payWalletInvoice(bolt11: string): Promise<{preimage: string}>;
  close(): Promise<void>;
}

const inBrowser = typeof window !== 'undefined';

async function control<T>(action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(`/__nwc/${action}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
  if (!response.ok) throw new Error(`nwc ${action} failed: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function startTestNwcWallet(walletMsats?: number): Promise<TestNwcWallet> {
  if (inBrowser) {
    const {id, connection} = await control<{id: string; connection: string}>('start', {walletMsats});
    return {
      connection,
      stats: () => control('stats', {id}),
      setFault: async (method, fault) => void (await control('fault', {id, method, fault})),
      shopInvoice: (msats) => control('shop-invoice', {id, msats}),
      payWalletInvoice: (bolt11) => control('pay-wallet-invoice', {id, bolt11}),
      close: async () => void (await control('stop', {id})),
    };
  }
  const path = './nostr-relay.js'; // not a literal: browser tooling must not resolve it
  const {NwcFixture} = (await import(/* @vite-ignore */ path)) as typeof import('./nostr-relay.js');
  const fixture = await NwcFixture.start(walletMsats);
  return {
    connection: fixture.connectionString,
    stats: async () => fixture.stats(),
    setFault: async (method, fault) => fixture.setFault(method, fault),
    shopInvoice: (msats) => fixture.shopInvoice(msats),
    payWalletInvoice: (bolt11) => fixture.payWalletInvoice(bolt11),
    close: () => fixture.close(),
  };
}
