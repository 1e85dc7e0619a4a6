/**
 * The server processes a bench starts, stopped however the bench ends: a
 * normal end, Ctrl-C, a timeout's SIGTERM, or an error such as a closed
 * stdout pipe (`npm run bench:relay | head`), which used to leave the relay
 * nodes running and retrying a Redis that was gone.
 */
import {spawn, type ChildProcess} from 'node:child_process';

const running = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/** Spawns `node args…` with stdout piped and the rest ignored, killed when the bench exits. */
export function spawnServer(args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'ignore']});
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
