/**
 * File descriptors: every WebSocket holds one, and a process at its limit
 * cannot accept anything, not even a health check. Node has no
 * `getrlimit`, so the limit is read where the system shows it, and the relay
 * keeps its connection limit below it. Running out is also watched for,
 * because libuv hides it: at EMFILE it accepts and closes connections itself
 * and the server never hears of them.
 */
import {execFile} from 'node:child_process';
import {open, readFile} from 'node:fs/promises';
import {devNull} from 'node:os';

/** Used when the descriptor limit cannot be read, and as the ceiling when it is very high. */
export const DEFAULT_MAX_CONNECTIONS = 10000;

/** Descriptors left for the process itself (stdio, libuv, the listener) and for plain HTTP. */
export const MIN_DESCRIPTOR_HEADROOM = 64;

/** Of the headroom, plain HTTP sockets (health checks, refusals) may hold this many at once. */
export const HTTP_RESERVE = 16;

/**
 * The soft limit on open files: /proc/self/limits on Linux, else `ulimit -n`
 * in a shell (macOS, the BSDs), else undefined (Windows, or no shell).
 * "unlimited" is undefined too.
 */
export async function descriptorLimit(): Promise<number | undefined> {
  const fromProc = await readFile('/proc/self/limits', 'utf8').then(parseProcLimits, () => undefined);
  if (fromProc !== undefined) return fromProc;
  return new Promise((resolve) => {
    execFile('sh', ['-c', 'ulimit -n'], {timeout: 2000}, (error, stdout) => resolve(error ? undefined : positive(stdout.trim())));
  });
}

/** The soft "Max open files" of a /proc/<pid>/limits text. */
export function parseProcLimits(text: string): number | undefined {
  const match = /^Max open files\s+(\S+)/m.exec(text);
  return match ? positive(match[1]!) : undefined;
}

function positive(text: string): number | undefined {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Headroom kept free below the descriptor limit: 64, or 5 % of a large limit. */
export function descriptorHeadroom(limit: number): number {
  return Math.max(MIN_DESCRIPTOR_HEADROOM, Math.ceil(limit / 20));
}

/** The default connection limit for a descriptor limit: below it by the headroom, at most 10,000, at least 1. */
export function connectionsForDescriptors(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_MAX_CONNECTIONS;
  return Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS, limit - descriptorHeadroom(limit)));
}

const EXHAUSTED = new Set(['EMFILE', 'ENFILE']);

/**
 * Logs running out of descriptors once per episode: a line when the first
 * EMFILE/ENFILE is seen (from a probe every `intervalMs`, or reported by the
 * server), and one when a probe succeeds again.
 */
export class DescriptorWatch {
  #since: number | undefined;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(
    private readonly log: (entry: object) => void,
    private readonly connections: () => number,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.#probe(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** True if `error` was descriptor exhaustion (and is now accounted for). */
  report(error: NodeJS.ErrnoException): boolean {
    if (error.code === undefined || !EXHAUSTED.has(error.code)) return false;
    this.#failures++;
    if (this.#since !== undefined) return true;
    this.#since = Date.now();
    this.log({event: 'descriptors-exhausted', code: error.code, connections: this.connections()});
    return true;
  }

  async #probe(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    try {
      await (await open(devNull, 'r')).close();
      this.#recovered();
    } catch (error) {
      this.report(error as NodeJS.ErrnoException);
    } finally {
      this.#probing = false;
    }
  }

  #recovered(): void {
    if (this.#since === undefined) return;
    this.log({event: 'descriptors-available', after_ms: Date.now() - this.#since, failures: this.#failures, connections: this.connections()});
    this.#since = undefined;
    this.#failures = 0;
  }
}
