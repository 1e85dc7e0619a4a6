/**
 * A Nostr Wallet Connect wallet service over a demo ledger, built with
 * `@getalby/sdk`'s NWCWalletService (NIP-47 requests, answers and their
 * encryption are the SDK's). The demo offers it to the wallet page as an NWC
 * string; tests use it as the wallet behind `<ms-provider nwc=…>`, count the
 * calls it gets, and make it refuse or swallow its answers.
 *
 * Node 20 has no global WebSocket and the SDK bundles its own nostr-tools, so
 * this sets `globalThis.WebSocket` to `ws`'s when there is none.
 */
import {
  NWCWalletService,
  NWCWalletServiceKeyPair,
  type Nip47SingleMethod,
  type Nip47Transaction,
  type NWCWalletServiceRequestHandler,
  type NWCWalletServiceResponse,
} from '@getalby/sdk/nwc';
import {bytesToHex} from '@noble/hashes/utils.js';
import {generateSecretKey, getPublicKey} from 'nostr-tools';
import {WebSocket} from 'ws';
import {decodeBolt11} from '../../src/core/bolt11.js';
import {isMoneysocketError} from '../../src/core/errors.js';
import type {IssuedInvoice} from '../../src/testing/demo-ledger.js';

/** What the service needs of a wallet: a DemoLedger has all of it. */
export interface NwcLedger {
  readonly balanceMsats: number;
  createInvoice(msats: number, description?: string): Promise<IssuedInvoice>;
  pay(bolt11: string): Promise<string>;
}

export type NwcMethod = 'make_invoice' | 'pay_invoice' | 'get_balance';

/**
 * A fault a test puts in front of one method: answer with a NIP-47 error
 * without touching the ledger, or do the work and never answer.
 */
export type NwcFault = {kind: 'error'; code: string; message: string} | {kind: 'drop-reply'};

const METHODS: Nip47SingleMethod[] = ['make_invoice', 'pay_invoice', 'get_balance'];
/** NIP-47 notification kinds: 23196 is NIP-04 encrypted, 23197 NIP-44. Clients listen for one of them. */
const NOTIFICATION_KINDS = [
  {kind: 23196, encryption: 'nip04'},
  {kind: 23197, encryption: 'nip44_v2'},
] as const;

export class LedgerWalletService {
  /** Requests the ledger was asked to act on, by method (faulted ones included). */
  readonly calls: Record<NwcMethod, number> = {make_invoice: 0, pay_invoice: 0, get_balance: 0};
  /** Faults by method; absent: the method works. */
  readonly faults = new Map<NwcMethod, NwcFault>();
  /** Answers swallowed by a `drop-reply` fault, each able to send its answer after all. */
  readonly #held = new Set<() => void>();
  readonly #service: NWCWalletService;
  readonly #keypair: NWCWalletServiceKeyPair;
  readonly #ledger: NwcLedger;
  readonly #clientSecret: string;
  #unsubscribe: (() => void) | undefined;

  private constructor(relayUrl: string, ledger: NwcLedger) {
    globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
    this.#service = new NWCWalletService({relayUrl});
    this.#ledger = ledger;
    const walletSecret = bytesToHex(generateSecretKey());
    const clientSecret = generateSecretKey();
    this.#clientSecret = bytesToHex(clientSecret);
    this.#keypair = new NWCWalletServiceKeyPair(walletSecret, getPublicKey(clientSecret));
  }

  /** Connects to the Nostr relay at `relayUrl`, publishes the wallet's info event and starts answering. */
  static async start(relayUrl: string, ledger: NwcLedger): Promise<LedgerWalletService> {
    const wallet = new LedgerWalletService(relayUrl, ledger);
    await wallet.#service.publishWalletServiceInfoEvent(wallet.#keypair.walletSecret, METHODS, ['payment_received']);
    wallet.#unsubscribe = await wallet.#service.subscribe(wallet.#keypair, wallet.#handler());
    return wallet;
  }

  get walletPubkey(): string {
    return this.#keypair.walletPubkey;
  }

  /** The connection string for an app that reaches the relay at `relayUrl`. */
  connectionString(relayUrl: string): string {
    return `nostr+walletconnect://${this.walletPubkey}?relay=${encodeURIComponent(relayUrl)}&secret=${this.#clientSecret}`;
  }

  /** Tells the app that one of the wallet's invoices was paid (a NIP-47 `payment_received` notification). */
  async paymentReceived(invoice: IssuedInvoice): Promise<void> {
    const content = JSON.stringify({notification_type: 'payment_received', notification: transaction(invoice, 'settled')});
    for (const {kind, encryption} of NOTIFICATION_KINDS) {
      const template = {
        kind,
        created_at: Math.floor(Date.now() / 1000),
        tags: [['p', this.#keypair.clientPubkey]],
        content: await this.#service.encrypt(this.#keypair, content, encryption),
      };
      await this.#service.relay.publish(await this.#service.signEvent(template, this.#keypair.walletSecret));
    }
  }

  close(): void {
    this.#unsubscribe?.();
    this.#service.close();
  }

  #handler(): NWCWalletServiceRequestHandler {
    return {
      makeInvoice: (request) =>
        this.#serve('make_invoice', async () => {
          if (!Number.isSafeInteger(request.amount) || request.amount <= 0) return failure('OTHER', 'amount must be a positive whole number of msats');
          return success(transaction(await this.#ledger.createInvoice(request.amount, request.description || 'NWC demo wallet'), 'pending'));
        }),
      payInvoice: (request) => this.#serve('pay_invoice', () => this.#pay(request.invoice)),
      getBalance: () => this.#serve('get_balance', async () => success({balance: this.#ledger.balanceMsats})),
    };
  }

  async #serve<T>(method: NwcMethod, work: () => Promise<NWCWalletServiceResponse<T>>): Promise<NWCWalletServiceResponse<T>> {
    this.calls[method]++;
    const fault = this.faults.get(method);
    if (fault?.kind === 'error') return failure(fault.code, fault.message);
    const answer = await work();
    // The work is done (money may have moved); the app does not hear of it, unless released later.
    if (fault?.kind === 'drop-reply') return new Promise((resolve) => this.#held.add(() => resolve(answer)));
    return answer;
  }

  /** Sends the answers `drop-reply` held back: a late answer, which must change nothing. */
  releaseHeld(): number {
    const held = [...this.#held];
    this.#held.clear();
    for (const send of held) send();
    return held.length;
  }

  async #pay(bolt11: string): Promise<NWCWalletServiceResponse<{preimage: string; fees_paid: number}>> {
    try {
      return success({preimage: await this.#ledger.pay(bolt11), fees_paid: 0});
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The ledger refuses before moving money for a low balance; anything else failed on the way.
      if (isMoneysocketError(error) && error.message === 'account balance exceeded') return failure('INSUFFICIENT_BALANCE', message);
      return failure('PAYMENT_FAILED', message);
    }
  }
}

function success<T>(result: T): NWCWalletServiceResponse<T> {
  return {result, error: undefined};
}

function failure<T>(code: string, message: string): NWCWalletServiceResponse<T> {
  return {result: undefined, error: {code, message}};
}

function transaction(invoice: IssuedInvoice, state: 'pending' | 'settled'): Nip47Transaction {
  const decoded = decodeBolt11(invoice.bolt11);
  const createdAt = decoded.ok ? decoded.value.timestamp : Math.floor(Date.now() / 1000);
  const now = Math.floor(Date.now() / 1000);
  return {
    type: 'incoming',
    state,
    invoice: invoice.bolt11,
    description: '',
    description_hash: '',
    preimage: state === 'settled' ? invoice.preimage : '',
    payment_hash: invoice.paymentHash,
    amount: invoice.msats,
    fees_paid: 0,
    settled_at: state === 'settled' ? now : 0,
    created_at: createdAt,
    expires_at: decoded.ok ? decoded.value.expiresAt : createdAt + 3600,
  };
}
