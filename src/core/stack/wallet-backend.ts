/**
 * A wallet a ProviderStack can serve from: the few operations Moneysocket
 * needs, so that any wallet people own (a WebLN extension, a Nostr Wallet
 * Connect string, a node's API) can stand behind a provider.
 *
 * Amounts are millisatoshis. Errors follow the provider's verdict rules:
 * throw a MoneysocketError `REQUEST_REFUSED` when nothing was attempted (the
 * app may try again), `PAYMENT_OUTCOME_UNKNOWN` when the wallet cannot tell
 * whether it paid; any other error is a failure that may have moved money.
 */
export interface WalletBackend {
  /** Makes an invoice for exactly `msats`. */
  makeInvoice(request: {msats: number; description?: string}): Promise<{bolt11: string}>;
  /** Pays the invoice; resolves with its preimage (hex, base64 or bytes). */
  payInvoice(request: {bolt11: string; msats: bigint}): Promise<{preimage: unknown}>;
  /** The balance the wallet offers, when it tells. */
  getBalance?(): Promise<{msats: number}>;
  /** Payments received and balance changes, while subscribed; returns the unsubscribe function. */
  subscribe?(listener: (event: WalletEvent) => void): () => void;
}

export type WalletEvent =
  | {type: 'payment-received'; paymentHash: string; preimage: string; msats?: number}
  | {type: 'balance-changed'; msats?: number};
