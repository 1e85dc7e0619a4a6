// Real relay processes for tests: `node bin/moneysocket.js relay --port 0`,
// started, killed and restarted on the same port. Used by the Node tests
// directly and, through web-test-runner middleware, by the browser tests.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const bin = fileURLToPath(new URL('../../bin/moneysocket.js', import.meta.url));
const relays = new Map();
let nextId = 1;

function launch(port, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'relay', '--host', '127.0.0.1', '--port', String(port), ...extraArgs], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('relay did not start within 15 s'));
    }, 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({child, port: Number(match[1])});
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} before listening`));
    });
  });
}

function stopChild(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.kill('SIGCONT'); // a frozen relay cannot act on SIGTERM
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Starts a relay process; resolves with {id, url, port}. */
export async function startRelayProcess(extraArgs = []) {
  const {child, port} = await launch(0, extraArgs);
  const id = String(nextId++);
  relays.set(id, {child, port, extraArgs});
  return {id, url: `ws://127.0.0.1:${port}`, port};
}

/** Kills a relay abruptly (SIGKILL): sockets die without a close handshake. */
export async function killRelayProcess(id) {
  const relay = relays.get(id);
  if (relay) await stopChild(relay.child, 'SIGKILL');
}

/** Starts a killed relay again on the same port. */
export async function restartRelayProcess(id) {
  const relay = relays.get(id);
  if (!relay) throw new Error(`no relay ${id}`);
  await stopChild(relay.child, 'SIGKILL');
  // The port may take a moment to be free again; bounded retries.
  for (let attempt = 0; ; attempt++) {
    try {
      relay.child = (await launch(relay.port, relay.extraArgs)).child;
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** SIGSTOP: the relay freezes with every socket open, as a hung host does. */
export async function freezeRelayProcess(id) {
  relays.get(id)?.child.kill('SIGSTOP');
}

export async function thawRelayProcess(id) {
  relays.get(id)?.child.kill('SIGCONT');
}

export async function stopRelayProcess(id) {
  const relay = relays.get(id);
  relays.delete(id);
  if (relay) await stopChild(relay.child);
}

export async function stopAllRelayProcesses() {
  await Promise.all([...relays.keys()].map((id) => stopRelayProcess(id)));
}

/** web-test-runner middleware: POST /__relay/{start|kill|restart|freeze|thaw|stop}?id=… */
export function relayControlMiddleware() {
  return async (ctx, next) => {
    const match = /^\/__relay\/(start|kill|restart|freeze|thaw|stop)$/.exec(ctx.path);
    if (!match) return next();
    const id = String(ctx.query.id ?? '');
    const args = typeof ctx.query.args === 'string' && ctx.query.args ? ctx.query.args.split(',') : [];
    try {
      if (match[1] === 'start') ctx.body = await startRelayProcess(args);
      else {
        if (match[1] === 'kill') await killRelayProcess(id);
        if (match[1] === 'restart') await restartRelayProcess(id);
        if (match[1] === 'freeze') await freezeRelayProcess(id);
        if (match[1] === 'thaw') await thawRelayProcess(id);
        if (match[1] === 'stop') await stopRelayProcess(id);
        ctx.body = {ok: true};
      }
    } catch (error) {
      ctx.status = 500;
      ctx.body = {error: String(error)};
    }
  };
}
