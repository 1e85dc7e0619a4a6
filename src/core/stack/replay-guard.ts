/**
 * Refuses requests that could be replays: a uuid seen before (compared in
 * canonical lower case), or a timestamp outside the replay window. Every uuid
 * is remembered for as long as its timestamp is inside the window, so no
 * number of other requests pushes it out.
 */
import {recordPairs, type StoredValue} from './storage.js';

export interface ReplayOptions {
  /** Requests stamped further than this from our clock, either way, are refused. */
  windowMs: number;
  /** Past this many remembered uuids, new requests are refused rather than old uuids forgotten. */
  maxEntries: number;
  now: () => number;
}

export type ReplayVerdict = {ok: true} | {ok: false; duplicate: boolean; reason: string};

type Stored = [string, {until: number}][];

export class ReplayGuard {
  readonly #seen: Map<string, number>;
  readonly #store: StoredValue<Stored> | undefined;
  readonly #options: ReplayOptions;
  #nextPrune = 0;

  constructor(store: StoredValue<Stored> | undefined, options: ReplayOptions) {
    this.#store = store;
    this.#options = options;
    const stored = store?.read(parseSeen, []) ?? [];
    this.#seen = new Map(stored.map(([uuid, {until}]) => [uuid, until]));
  }

  /** Checks a request and, when it may go ahead, remembers its uuid. */
  admit(uuid: string, timestampSeconds: number): ReplayVerdict {
    const now = this.#options.now();
    const key = uuid.toLowerCase();
    const until = this.#seen.get(key);
    // `until` is the last millisecond its stamp is accepted: a copy arriving then is still a replay.
    if (until !== undefined && until >= now) return {ok: false, duplicate: true, reason: `request ${uuid} was already received`};
    const stamped = timestampSeconds * 1000;
    const skew = Math.round((stamped - now) / 1000);
    if (Math.abs(stamped - now) > this.#options.windowMs) {
      return {ok: false, duplicate: false, reason: `the request is stamped ${Math.abs(skew)} s in the ${skew < 0 ? 'past' : 'future'}, outside the replay window; check the device's clock`};
    }
    this.#prune(now);
    if (this.#seen.size >= this.#options.maxEntries) {
      return {ok: false, duplicate: false, reason: 'too many requests in the replay window; try again later'};
    }
    this.#seen.set(key, stamped + this.#options.windowMs);
    this.#store?.write([...this.#seen].map(([u, t]) => [u, {until: t}]));
    return {ok: true};
  }

  get size(): number {
    return this.#seen.size;
  }

  /** At most once a second: cheap enough for thousands of requests a second. */
  #prune(now: number): void {
    if (now < this.#nextPrune) return;
    this.#nextPrune = now + 1000;
    for (const [uuid, until] of this.#seen) if (until < now) this.#seen.delete(uuid);
  }
}

function parseSeen(value: unknown): Stored | undefined {
  const pairs = recordPairs(value);
  return pairs?.filter((pair): pair is [string, {until: number}] => typeof pair[1]['until'] === 'number');
}
