/**
 * What the relay benches share for their memory figures: many idle
 * WebSockets opened and closed in batches, and a process's resident set.
 */
import {readFileSync} from 'node:fs';
import {WebSocket} from 'ws';

/** Node flags for a server whose memory is measured: `settledRssBytes` can then make it collect its garbage first. */
export const MEMORY_NODE_ARGS = ['--expose-gc', '--import', new URL('./collect-on-signal.mjs', import.meta.url).href];

/**
 * A process's resident set once it has collected its garbage (it must run
 * with MEMORY_NODE_ARGS: SIGUSR2 would end any other Node process). Without
 * it, a collection between two readings could free more than a few hundred
 * connections hold, and the growth per connection came out negative.
 */
export async function settledRssBytes(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return rssBytes(pid);
}

/** A process's resident set size in bytes (Linux: /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
}

/** Opens `count` WebSockets to `url`, 250 at a time. */
export async function openSockets(url: string, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 250) {
    const batch = Array.from({length: Math.min(250, count - i)}, () => new WebSocket(url));
    await Promise.all(batch.map((ws) => new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    })));
    sockets.push(...batch);
  }
  return sockets;
}

export async function closeSockets(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close();
  })));
}
