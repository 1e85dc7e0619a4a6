/**
 * A throwaway redis-server for tests: 127.0.0.1, an ephemeral port, no
 * persistence (`--save '' --appendonly no`), stopped by the test. It can be
 * killed and started again on the same port, empty, as a restarted Redis is.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';

export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? 'redis-server';

export interface TestRedis {
  url: string;
  port: number;
  /** SIGKILL, then a fresh empty server on the same port. */
  restart(): Promise<void>;
  /** SIGKILL, and nothing listening until `start()`. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Servers still running: killed when this process exits, however it exits, so none is left behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function launch(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(REDIS_SERVER, args, {stdio: ['ignore', 'pipe', 'pipe']});
    running.add(child);
    child.once('exit', () => running.delete(child));
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s: ${out.slice(-500)}`));
    }, 10000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${REDIS_SERVER} (${error.message}): install it with \`apt-get install -y redis-server\``));
    });
    const read = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', read);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready: ${out.slice(-500)}`));
    });
  });
}

function killChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function launchRetrying(port: number): Promise<ChildProcess> {
  // The port may take a moment to be free again after a kill; bounded retries.
  for (let attempt = 0; ; attempt++) {
    try {
      return await launch(port);
    } catch (error) {
      if (attempt >= 20 || String(error).includes('cannot run')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launchRetrying(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await killChild(child, 'SIGKILL');
      child = await launchRetrying(port);
    },
    kill: async () => {
      await killChild(child, 'SIGKILL');
      child = undefined;
    },
    start: async () => {
      child ??= await launchRetrying(port);
    },
    stop: async () => {
      await killChild(child, 'SIGTERM');
      child = undefined;
    },
  };
}
