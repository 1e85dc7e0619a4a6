/**
 * What the relay benches share for their memory figures: many idle
 * WebSockets opened and closed in batches, and a process's resident set.
 */
import {readFileSync} from 'node:fs';
import {WebSocket} from 'ws';

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
