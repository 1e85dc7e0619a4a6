/**
 * The demo's Nostr Wallet Connect set-up: a Nostr relay on the demo's host and
 * a wallet service over the demo network's NWC ledger, so that the wallet page
 * can be backed by NWC with one click and no wallet of one's own.
 */
import {startNostrRelay, type NostrRelayHandle} from './nostr-relay.js';
import {LedgerWalletService} from './nwc-wallet-service.js';
import type {DemoLightning} from './lightning.js';

export interface DemoNwc {
  relay: NostrRelayHandle;
  /** The connection string for a browser that reaches this machine as `hostname`. */
  connectionFor(hostname: string): string;
  close(): Promise<void>;
}

export async function startDemoNwc(host: string, ln: DemoLightning): Promise<DemoNwc> {
  const relay = await startNostrRelay({host});
  let service: LedgerWalletService;
  try {
    // The service itself talks to the relay over loopback whatever the host.
    const local = host === '0.0.0.0' || host === '::' ? `ws://127.0.0.1:${relay.port}` : relay.url;
    service = await LedgerWalletService.start(local, ln.nwcWallet);
  } catch (error) {
    await relay.close();
    throw error;
  }
  ln.onNwcWalletPaid = (invoice) => {
    service.paymentReceived(invoice).catch((error: unknown) => process.stderr.write(`nwc: could not send payment_received: ${String(error)}\n`));
  };
  return {
    relay,
    connectionFor: (hostname) => service.connectionString(`ws://${hostname}:${relay.port}`),
    close: async () => {
      ln.onNwcWalletPaid = undefined;
      service.close();
      await relay.close();
    },
  };
}
