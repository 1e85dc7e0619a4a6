/**
 * ConsumerStack: what an app (a game, a paywall, a shop) runs to use a
 * provider's wallet. Every request carries its uuid, is matched to its
 * answer, and ends exactly once: answered, failed, or timed out. That work
 * is the session engine's (consumer-session.ts), loaded on first need; this
 * class is the API and holds the connection.
 */
import type {MoneysocketError} from '../errors.js';
import type {ConsumerSession} from './consumer-session.js';
import type {Layer} from './layer.js';
import {withEngine, type Engine} from './lazy-engine.js';
import type {ProviderInfo} from './provider-info.js';
import {Stack, type StackEvents, type StackOptions, type StackState} from './stack.js';

export interface ConsumerTimeouts {
  /** REQUEST_PROVIDER → NOTIFY_PROVIDER (or NOT_READY). */
  handshakeMs: number;
  invoiceMs: number;
  payMs: number;
  pingMs: number;
}

export interface ConsumerStackOptions extends StackOptions {
  timeouts?: Partial<ConsumerTimeouts>;
  /** js pings every 3 s; so do we. */
  pingIntervalMs?: number;
  /** Silence longer than this closes the socket and reconnects. */
  livenessTimeoutMs?: number;
  /**
   * Also check each invoice's signature (secp256k1 key recovery, loaded on
   * first use, about 1 ms per invoice). Off by default: the consumer does not
   * know the provider's node key, so a valid signature proves little more than
   * a well-formed invoice, and the provider's node checks it when paying.
   */
  verifyInvoiceSignatures?: boolean;
}

export interface ConsumerEvents extends StackEvents {
  'provider-info': {providerInfo: ProviderInfo};
  invoice: {bolt11: string; requestUuid: string};
  /** A payment we asked for succeeded; `late` when it arrived after we gave up waiting. */
  preimage: {preimage: string; requestUuid: string; bolt11: string; late: boolean};
  /** An invoice we obtained was paid to the provider. */
  'payment-received': {preimage: string; paymentHash: string; bolt11: string; requestUuid: string};
  ping: {rttMs: number};
}

export const DEFAULT_CONSUMER_TIMEOUTS: Readonly<ConsumerTimeouts> = {handshakeMs: 10_000, invoiceMs: 10_000, payMs: 60_000, pingMs: 10_000};

export class ConsumerStack extends Stack<ConsumerEvents> {
  readonly #options: ConsumerStackOptions;
  #session: ConsumerSession | undefined;

  constructor(options: ConsumerStackOptions = {}) {
    super(options);
    this.#options = options;
  }

  /** The latest provider info, while connected. */
  get providerInfo(): ProviderInfo | undefined {
    return this.#session?.providerInfo;
  }

  protected builtInLayers(engine: Engine): Layer[] {
    return this.#sessionOf(engine).layers;
  }

  protected isReady(state: StackState): boolean {
    return state === 'connected';
  }

  /** Asks the provider for an invoice; resolves with the BOLT11 string. */
  requestInvoice(msats: number, options: {description?: string; timeoutMs?: number} = {}): Promise<string> {
    return withEngine((engine) => this.#sessionOf(engine).requestInvoice(msats, options));
  }

  /**
   * Asks the provider to pay an invoice; resolves with the preimage once its
   * SHA-256 is checked against the invoice's payment hash. An invoice is sent
   * again only after a definite refusal (`REQUEST_REFUSED`) or when it never
   * left; after any other ending (`PAYMENT_OUTCOME_UNKNOWN`, `PAYMENT_FAILED`,
   * `PREIMAGE_MISMATCH`) it is refused here, and a late answer is reported
   * through the `preimage` event.
   */
  requestPay(bolt11: string, options: {timeoutMs?: number} = {}): Promise<string> {
    return withEngine((engine) => this.#sessionOf(engine).requestPay(bolt11, options));
  }

  /** Round trip to the provider in milliseconds. */
  ping(options: {timeoutMs?: number} = {}): Promise<number> {
    return withEngine((engine) => this.#sessionOf(engine).ping(options));
  }

  protected sessionEnded(): void {
    this.#session?.sessionEnded();
  }

  #sessionOf(engine: Engine): ConsumerSession {
    this.#session ??= new engine.ConsumerSession(
      {
        setState: (state) => this.setState(state),
        emit: (type, detail) => this.emit(type, detail),
        reportError: (error: MoneysocketError) => this.reportError(error),
        connection: () => this.connection,
        state: () => this.state,
      },
      this.#options,
      {...DEFAULT_CONSUMER_TIMEOUTS, ...this.#options.timeouts},
    );
    return this.#session;
  }
}
