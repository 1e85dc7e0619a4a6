/**
 * The server processes a bench starts (relays, bare `ws` servers), stopped
 * however the bench ends: a normal end, Ctrl-C, a timeout's SIGTERM, or an
 * error such as a closed stdout pipe (`npm run bench:relay | head`), which
 * used to leave the relay nodes running and retrying a Redis that was gone.
 */
import {spawn, type ChildProcess} from 'node:child_process';

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
}

const running = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** Spawns `node args…`, killed when the bench exits; resolves once it prints its ws:// address on stdout. */
export function startServer(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'ignore']});
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 15 s')), 15000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /ws:\/\/[\d.]+:\d+/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve({url: match[0], pid: child.pid!, child});
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}
