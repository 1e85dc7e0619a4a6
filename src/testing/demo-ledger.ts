/**
 * A toy Lightning wallet for tests, benchmarks and the demo: a balance, real
 * signed BOLT11 invoices, and payments settled with the invoice's preimage.
 * A `DemoNetwork` stands in for the Lightning network: it knows the preimage
 * of every invoice a ledger issued and moves the money when one is paid.
 */
import {secp256k1} from '@noble/curves/secp256k1.js';
import {decodeBolt11} from '../core/bolt11.js';
import {toHex} from '../core/bytes.js';
import {MoneysocketError} from '../core/errors.js';
import {preimagePays} from '../core/preimage.js';
import {createSignedInvoice, newPreimage} from './invoice-signer.js';

export interface IssuedInvoice {
  bolt11: string;
  paymentHash: string;
  preimage: string;
  msats: number;
}

export interface Settlement {
  preimage: string;
  msats: number;
}

/** Where invoices are registered and paid. */
export interface DemoNetwork {
  register(invoice: IssuedInvoice, payee: string): Promise<void>;
  /** Pays an invoice; resolves with its preimage, or rejects (unknown, already paid). */
  settle(bolt11: string, payer: string): Promise<Settlement>;
}

type PaidListener = (invoice: IssuedInvoice) => void;

/** A network inside one JavaScript realm (tests, one page). */
export class InMemoryDemoNetwork implements DemoNetwork {
  readonly #invoices = new Map<string, {invoice: IssuedInvoice; payee: string; paid: boolean}>();
  readonly #listeners = new Map<string, PaidListener>();

  listen(payee: string, onPaid: PaidListener): void {
    this.#listeners.set(payee, onPaid);
  }

  async register(invoice: IssuedInvoice, payee: string): Promise<void> {
    this.#invoices.set(invoice.paymentHash, {invoice, payee, paid: false});
  }

  async settle(bolt11: string, payer: string): Promise<Settlement> {
    const decoded = decodeBolt11(bolt11);
    if (!decoded.ok) throw decoded.error;
    const entry = this.#invoices.get(decoded.value.paymentHash);
    if (entry === undefined) throw new MoneysocketError('REQUEST_REFUSED', 'no route: this invoice is unknown to the demo network');
    if (entry.paid) throw new MoneysocketError('REQUEST_REFUSED', 'invoice already paid');
    if (entry.payee === payer) throw new MoneysocketError('REQUEST_REFUSED', 'cannot pay an invoice to yourself');
    entry.paid = true;
    this.#listeners.get(entry.payee)?.(entry.invoice);
    return {preimage: entry.invoice.preimage, msats: entry.invoice.msats};
  }
}

export interface DemoLedgerOptions {
  id: string;
  balanceMsats: number;
  network: DemoNetwork;
  /** The node key invoices are signed with; random when absent. */
  privateKey?: Uint8Array;
  network_prefix?: 'bc' | 'bcrt';
}

export class DemoLedger {
  readonly id: string;
  readonly #network: DemoNetwork;
  readonly #privateKey: Uint8Array;
  readonly #prefix: 'bc' | 'bcrt';
  #balance: number;

  constructor(options: DemoLedgerOptions) {
    this.id = options.id;
    this.#network = options.network;
    this.#privateKey = options.privateKey ?? secp256k1.utils.randomSecretKey();
    this.#prefix = options.network_prefix ?? 'bc';
    this.#balance = options.balanceMsats;
  }

  get balanceMsats(): number {
    return this.#balance;
  }

  /** Money arrived for one of our invoices (the network calls this). */
  credit(msats: number): void {
    this.#balance += msats;
  }

  async createInvoice(msats: number, description = 'moneysocket demo'): Promise<IssuedInvoice> {
    const {preimage, paymentHash} = newPreimage();
    const bolt11 = createSignedInvoice({privateKey: this.#privateKey, msats, paymentHash, description, network: this.#prefix});
    const invoice = {bolt11, paymentHash: toHex(paymentHash), preimage: toHex(preimage), msats};
    await this.#network.register(invoice, this.id);
    return invoice;
  }

  /** Pays an invoice from this balance; resolves with the checked preimage. */
  async pay(bolt11: string): Promise<string> {
    const decoded = decodeBolt11(bolt11);
    if (!decoded.ok) throw decoded.error;
    const msats = decoded.value.msats;
    if (msats === null) throw new MoneysocketError('REQUEST_REFUSED', 'bolt11 does not specify amount');
    if (msats > BigInt(this.#balance)) throw new MoneysocketError('REQUEST_REFUSED', 'account balance exceeded');
    this.#balance -= Number(msats); // held while the payment is in flight
    try {
      const {preimage} = await this.#network.settle(bolt11, this.id);
      if (!preimagePays(preimage, decoded.value.paymentHash)) {
        throw new MoneysocketError('PREIMAGE_MISMATCH', 'the network returned a preimage that does not match');
      }
      return preimage;
    } catch (error) {
      this.#balance += Number(msats);
      throw error;
    }
  }
}
