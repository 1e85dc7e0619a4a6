/**
 * An NWC wallet for tests, all on 127.0.0.1: a real Nostr relay
 * (@nostr-relay/core, demo/node/nostr-relay.ts), a wallet service built with
 * @getalby/sdk over a DemoLedger, and a shop ledger on the same demo network
 * that sells invoices for the wallet to pay and pays the wallet's invoices.
 * Used by the Node tests directly and by the browser tests through
 * web-test-runner middleware (nostr-relay-control.mjs).
 */
import {startNostrRelay, type NostrRelayHandle} from '../../demo/node/nostr-relay.js';
import {LedgerWalletService, type NwcFault, type NwcMethod} from '../../demo/node/nwc-wallet-service.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';

export interface NwcFixtureStats {
  calls: Record<NwcMethod, number>;
  walletMsats: number;
  shopMsats: number;
  /** Request events (kind 23194) the Nostr relay accepted: every NWC call an app made. */
  requests: number;
  /** Subscriptions an app opened for NIP-44 notifications (kind 23197). */
  notificationListeners: number;
}

export class NwcFixture {
  readonly #relay: NostrRelayHandle;
  readonly #service: LedgerWalletService;
  readonly #wallet: DemoLedger;
  readonly #shop: DemoLedger;

  private constructor(relay: NostrRelayHandle, service: LedgerWalletService, wallet: DemoLedger, shop: DemoLedger) {
    this.#relay = relay;
    this.#service = service;
    this.#wallet = wallet;
    this.#shop = shop;
  }

  static async start(walletMsats = 100_000_000): Promise<NwcFixture> {
    const network = new InMemoryDemoNetwork();
    const wallet = new DemoLedger({id: 'nwc-wallet', balanceMsats: walletMsats, network});
    const shop = new DemoLedger({id: 'shop', balanceMsats: 1_000_000_000, network});
    const relay = await startNostrRelay();
    let service: LedgerWalletService;
    try {
      service = await LedgerWalletService.start(relay.url, wallet);
    } catch (error) {
      await relay.close();
      throw error;
    }
    network.listen('shop', (invoice) => shop.credit(invoice.msats));
    network.listen('nwc-wallet', (invoice) => {
      wallet.credit(invoice.msats);
      void service.paymentReceived(invoice);
    });
    return new NwcFixture(relay, service, wallet, shop);
  }

  get connectionString(): string {
    return this.#service.connectionString(this.#relay.url);
  }

  get relayUrl(): string {
    return this.#relay.url;
  }

  stats(): NwcFixtureStats {
    return {calls: {...this.#service.calls}, walletMsats: this.#wallet.balanceMsats, shopMsats: this.#shop.balanceMsats, requests: this.#relay.accepted(23194), notificationListeners: this.#relay.subscribed(23197)};
  }

  setFault(method: NwcMethod, fault: NwcFault | undefined): void {
    if (fault === undefined) this.#service.faults.delete(method);
    else this.#service.faults.set(method, fault);
  }

  /** Sends the answers a `drop-reply` fault held back; resolves with how many. */
  releaseHeld(): number {
    return this.#service.releaseHeld();
  }

  /** An invoice from the shop, for the wallet to pay. */
  async shopInvoice(msats: number): Promise<{bolt11: string; paymentHash: string; preimage: string}> {
    return this.#shop.createInvoice(msats, 'an article');
  }

  /** Someone (the shop) pays one of the wallet's invoices; the service then notifies the app. */
  async payWalletInvoice(bolt11: string): Promise<{preimage: string}> {
    return {preimage: await this.#shop.pay(bolt11)};
  }

  async close(): Promise<void> {
    this.#service.close();
    await this.#relay.close();
  }
}
