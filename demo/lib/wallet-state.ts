/**
 * What the demo wallet keeps across reloads of its tab (sessionStorage: each
 * tab stays its own wallet): its play-money ledger (id and balance), the
 * invoices it issued that are not paid yet, and the limits the person set.
 * `<ms-provider persist>` keeps the rest (beacon, account, budget window).
 */
import type {IssuedInvoice} from '../../src/testing/demo-ledger.js';

export interface WalletState {
  ledgerId: string;
  balanceMsats: number;
  unpaid: IssuedInvoice[];
  /** The provider's `max-payment-msats` and `daily-budget-msats`, when set. */
  limits: {maxPaymentMsats?: number; dailyBudgetMsats?: number};
}

const KEY = 'demo-wallet';

export function loadWalletState(storage: Storage): WalletState | undefined {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<WalletState> | null;
    if (typeof value?.ledgerId !== 'string' || typeof value.balanceMsats !== 'number' || !Array.isArray(value.unpaid)) return undefined;
    return {ledgerId: value.ledgerId, balanceMsats: value.balanceMsats, unpaid: value.unpaid, limits: value.limits ?? {}};
  } catch {
    return undefined; // unreadable: start a new wallet
  }
}

export function saveWalletState(storage: Storage, state: WalletState): void {
  storage.setItem(KEY, JSON.stringify(state));
}

export function clearWalletState(storage: Storage): void {
  storage.removeItem(KEY);
}
