/**
 * Spending limits `<ms-provider>` enforces before the page is asked to pay:
 * a per-payment maximum and a rolling 24-hour budget. Kept in memory, and
 * serialisable (`toJSON()`, `load()`) so that `<ms-provider persist>` keeps
 * the window across reloads.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Refusal reasons, worded to follow the app's "the provider refused: ". */
export const OVER_LIMIT = 'the payment is over the wallet\'s limit per payment';
export const OVER_BUDGET = 'the payment would go over the wallet\'s daily budget';

/** A spend as stored: msats in decimal, `at` null for a payment that was still in flight. */
export interface StoredSpend {
  msats: string;
  at: number | null;
}

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
  readonly #changed: () => void;

  /** `changed` is called after every change, to save the budget. */
  constructor(changed: () => void = () => undefined) {
    this.#changed = changed;
  }

  /** The spends still counted, for storage. */
  toJSON(): StoredSpend[] {
    return [...this.#spends].map((spend) => ({msats: spend.msats.toString(), at: spend.at ?? null}));
  }

  /**
   * Adds stored spends (anything unreadable is skipped). A payment that was
   * in flight when they were saved may have gone through: it counts from
   * `now`, for the safe side.
   */
  load(value: unknown, now: number): void {
    if (!Array.isArray(value)) return;
    for (const item of value as unknown[]) {
      const spend = readSpend(item, now);
      if (spend !== undefined) this.#spends.add(spend);
    }
  }

  /** Forgets every spend. */
  clear(): void {
    this.#spends.clear();
    this.#changed();
  }

  /** Why a payment of `msats` must be refused now, or undefined if it may go ahead. */
  refusal(msats: bigint, limits: Limits, now: number): {code: 'OVER_LIMIT' | 'OVER_BUDGET'; reason: string} | undefined {
    if (exceeds(msats, limits.maxPaymentMsats)) return {code: 'OVER_LIMIT', reason: OVER_LIMIT};
    if (exceeds(this.spent(now) + msats, limits.dailyBudgetMsats)) return {code: 'OVER_BUDGET', reason: OVER_BUDGET};
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
    this.#changed();
    return payment.then(
      (value) => {
        spend.at = clock();
        this.#changed();
        return value;
      },
      (error: unknown) => {
        if (isRefusal(error)) this.#spends.delete(spend);
        else spend.at = clock();
        this.#changed();
        throw error;
      },
    );
  }
}

function readSpend(item: unknown, now: number): Spend | undefined {
  const {msats, at} = (typeof item === 'object' && item !== null ? item : {}) as {msats?: unknown; at?: unknown};
  if (typeof msats !== 'string' || !/^\d{1,30}$/.test(msats)) return undefined;
  if (at !== null && (typeof at !== 'number' || !Number.isFinite(at))) return undefined;
  return {msats: BigInt(msats), at: at ?? now};
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
