/**
 * The demo's stand-in for the Lightning network, shared by every tab and
 * device that opens the demo: an InMemoryDemoNetwork that knows each invoice's
 * preimage, plus ledgers of its own: an article shop (for the app to pay), a
 * faucet ("someone pays your invoice"), and the wallet the demo offers over
 * Nostr Wallet Connect (see nwc-demo.ts).
 */
import {BOLT11_MAX_LENGTH, decodeBolt11, type DecodedInvoice} from '../../src/core/bolt11.js';
import {preimagePays} from '../../src/core/preimage.js';
import {DemoLedger, InMemoryDemoNetwork, type DemoNetwork, type IssuedInvoice, type Settlement} from '../../src/testing/demo-ledger.js';
import {verifyInvoiceSignature} from '../../src/testing/invoice-signer.js';
import {HttpError, integerField, stringField} from './http-json.js';
import {PaymentEvents} from './payment-events.js';

/** Browser ledgers name themselves; this keeps the names printable and short. */
export const LEDGER_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const SHOP_ID = 'demo-shop';
export const FAUCET_ID = 'demo-faucet';
export const NWC_WALLET_ID = 'demo-nwc-wallet';
const RESERVED = new Set([SHOP_ID, FAUCET_ID, NWC_WALLET_ID]);

/** The network never forgets an invoice (InMemoryDemoNetwork has no removal), so it takes a bounded number. */
const MAX_INVOICES = 100_000;
/** 10 000 BTC: the faucet never runs dry in a demo. */
const FAUCET_MSATS = 1e15;
const HEX32 = /^[0-9a-f]{64}$/;

export class DemoLightning implements DemoNetwork {
  readonly events = new PaymentEvents();
  readonly shop = new DemoLedger({id: SHOP_ID, balanceMsats: 0, network: this});
  readonly faucet = new DemoLedger({id: FAUCET_ID, balanceMsats: FAUCET_MSATS, network: this});
  /** 100 000 sats of play money behind the demo's NWC wallet service. */
  readonly nwcWallet = new DemoLedger({id: NWC_WALLET_ID, balanceMsats: 100_000_000, network: this});
  /** Told when one of the NWC wallet's invoices is paid, after it is credited. */
  onNwcWalletPaid: ((invoice: IssuedInvoice) => void) | undefined;
  readonly #network = new InMemoryDemoNetwork();
  readonly #known = new Set<string>();

  constructor() {
    this.#network.listen(SHOP_ID, (invoice) => this.shop.credit(invoice.msats));
    this.#network.listen(FAUCET_ID, (invoice) => this.faucet.credit(invoice.msats));
    this.#network.listen(NWC_WALLET_ID, (invoice) => {
      this.nwcWallet.credit(invoice.msats);
      this.onNwcWalletPaid?.(invoice);
    });
  }

  async register(invoice: IssuedInvoice, payee: string): Promise<void> {
    // A second registration of a hash would let anyone redirect a payment.
    if (this.#known.has(invoice.paymentHash)) throw new HttpError(409, 'an invoice with this payment hash is already registered');
    if (this.#known.size >= MAX_INVOICES) throw new HttpError(503, 'the demo network is full: restart the demo');
    this.#known.add(invoice.paymentHash);
    if (!RESERVED.has(payee)) {
      // Browser ledgers hear of their payments over Server-Sent Events.
      this.#network.listen(payee, ({paymentHash, preimage, msats}) => this.events.deliver(payee, {paymentHash, preimage, msats}));
    }
    await this.#network.register(invoice, payee);
  }

  async settle(bolt11: string, payer: string): Promise<Settlement> {
    const decoded = decodeInvoice(bolt11);
    if (!this.#known.has(decoded.paymentHash)) throw new HttpError(404, 'no route: this invoice is unknown to the demo network');
    if (decoded.expiresAt * 1000 < Date.now()) throw new HttpError(409, 'the invoice has expired');
    try {
      return await this.#network.settle(bolt11, payer);
    } catch (error) {
      throw new HttpError(409, error instanceof Error ? error.message : String(error));
    }
  }

  close(): void {
    this.events.close();
  }
}

export function decodeInvoice(bolt11: string): DecodedInvoice {
  const decoded = decodeBolt11(bolt11);
  if (!decoded.ok) throw new HttpError(400, `bolt11: ${decoded.error.message}`);
  return decoded.value;
}

/**
 * Checks an invoice a browser registers: well formed, signed, and consistent
 * (the preimage hashes to the payment hash, the amount matches), so the
 * network never hands out a preimage that does not settle the invoice.
 */
export function parseIssuedInvoice(body: Record<string, unknown>): IssuedInvoice {
  const bolt11 = stringField(body, 'bolt11', BOLT11_MAX_LENGTH);
  const paymentHash = stringField(body, 'paymentHash', 64, HEX32);
  const preimage = stringField(body, 'preimage', 64, HEX32);
  const msats = integerField(body, 'msats', 1, Number.MAX_SAFE_INTEGER);
  const decoded = decodeInvoice(bolt11);
  if (decoded.paymentHash !== paymentHash) throw new HttpError(400, 'paymentHash does not match the invoice');
  if (decoded.msats !== BigInt(msats)) throw new HttpError(400, 'msats does not match the invoice');
  if (!preimagePays(preimage, paymentHash)) throw new HttpError(400, 'sha256(preimage) is not the payment hash');
  if (!verifyInvoiceSignature(bolt11)) throw new HttpError(400, 'the invoice signature does not verify');
  return {bolt11, paymentHash, preimage, msats};
}

export function isReservedLedger(id: string): boolean {
  return RESERVED.has(id);
}
