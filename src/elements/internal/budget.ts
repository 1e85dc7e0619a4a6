/**
 * Spending limits `<ms-provider>` enforces before the page is asked to pay:
 * a per-payment maximum and a rolling 24-hour budget. Kept in memory: a page
 * reload starts a fresh window (a page that needs more persists its own).
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const OVER_LIMIT = 'payment exceeds the wallet\'s limit';
export const OVER_BUDGET = 'daily budget exceeded';

export interface Limits {
  maxPaymentMsats: number | null | undefined;
  dailyBudgetMsats: number | null | undefined;
}

interface Spend {
  msats: bigint;
  /** When the payment succeeded; undefined while it is in flight. */
  at: number | undefined;
}

export class SpendingBudget {
  readonly #spends = new Set<Spend>();

  /** Why a payment of `msats` must be refused now, or undefined if it may go ahead. */
  refusal(msats: bigint, limits: Limits, now: number): string | undefined {
    if (exceeds(msats, limits.maxPaymentMsats)) return OVER_LIMIT;
    if (exceeds(this.spent(now) + msats, limits.dailyBudgetMsats)) return OVER_BUDGET;
    return undefined;
  }

  /** Successful payments in the last 24 hours plus those in flight. */
  spent(now: number): bigint {
    let total = 0n;
    for (const spend of this.#spends) {
      if (spend.at !== undefined && now - spend.at >= DAY_MS) this.#spends.delete(spend);
      else total += spend.msats;
    }
    return total;
  }

  /**
   * Counts `msats` while `payment` is in flight, and for a day after it ends,
   * unless it ends in a definite refusal (`REQUEST_REFUSED`: nothing was
   * attempted). A failure or a preimage the stack then finds wrong still
   * counts: money may have moved, and for a limit over-counting is the safe
   * mistake.
   */
  track<T>(msats: bigint, payment: Promise<T>, clock: () => number): Promise<T> {
    const spend: Spend = {msats, at: undefined};
    this.#spends.add(spend);
    return payment.then(
      (value) => {
        spend.at = clock();
        return value;
      },
      (error: unknown) => {
        if (isRefusal(error)) this.#spends.delete(spend);
        else spend.at = clock();
        throw error;
      },
    );
  }
}

function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as {code?: unknown}).code === 'REQUEST_REFUSED';
}

/** Unset limits allow anything; a limit that is not a usable number allows nothing (fail closed). */
function exceeds(msats: bigint, limit: number | null | undefined): boolean {
  if (limit === null || limit === undefined) return false;
  if (!Number.isFinite(limit) || limit < 0) return true;
  return msats > BigInt(Math.floor(limit));
}
