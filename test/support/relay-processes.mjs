// Real relay processes for tests: `node bin/moneysocket.js relay --port 0`,
// started, killed and restarted on the same port. Used by the Node tests
// directly and, through web-test-runner middleware, by the browser tests.
//
// Under Stryker (or with MONEYSOCKET_TEST_RELAY=src) a relay runs src/ through
// tsx instead of the compiled dist/, because the mutants live in src/. The
// active mutant is handed to it in Stryker's environment variable, and what it
// covers is brought back into the worker's coverage (collectRelayCoverage), so
// Stryker's per-test coverage also picks the tests that reach a mutant only
// through a relay process.
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/moneysocket.js', import.meta.url));
const srcEntry = fileURLToPath(new URL('./moneysocket-src.ts', import.meta.url));
const coverageChild = new URL('./relay-coverage-child.mjs', import.meta.url).href;
const relays = new Map();
let nextId = 1;

/** Stryker's instrumentation namespace; its mocha runner creates it before any test loads. */
function stryker() {
  return globalThis.__stryker__;
}

/**
 * True when relays must run src/: during a Stryker run, or when asked to.
 * MONEYSOCKET_TEST_RELAY=dist forces dist/ even under Stryker (the control run of
 * test/mutation/relay-process.config.mjs, in which relay mutants must all survive).
 */
export function relaysRunSource() {
  const forced = process.env.MONEYSOCKET_TEST_RELAY;
  if (forced === 'src' || forced === 'dist') return forced === 'src';
  return stryker() !== undefined;
}

function command(port, extraArgs) {
  const args = ['relay', '--host', '127.0.0.1', '--port', String(port), ...extraArgs];
  if (!relaysRunSource()) return {argv: [bin, ...args], options: {stdio: ['ignore', 'pipe', 'ignore']}};
  const env = {...process.env};
  const active = stryker()?.activeMutant;
  if (active !== undefined) env.__STRYKER_ACTIVE_MUTANT__ = String(active);
  else delete env.__STRYKER_ACTIVE_MUTANT__;
  return {
    argv: ['--import', 'tsx/esm', '--import', coverageChild, srcEntry, ...args],
    options: {cwd: root, env, stdio: ['ignore', 'pipe', 'ignore', 'ipc']},
  };
}

function launch(port, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const {argv, options} = command(port, extraArgs);
    const child = spawn(process.execPath, argv, options);
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
  if (!relay) return;
  await coverageOf(relay.child);
  await stopChild(relay.child, 'SIGKILL');
}

/** Starts a killed relay again on the same port. */
export async function restartRelayProcess(id) {
  const relay = relays.get(id);
  if (!relay) throw new Error(`no relay ${id}`);
  await coverageOf(relay.child);
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
  if (!relay) return;
  await coverageOf(relay.child);
  await stopChild(relay.child);
}

export async function stopAllRelayProcesses() {
  await Promise.all([...relays.keys()].map((id) => stopRelayProcess(id)));
}

/**
 * Adds what the live relay processes covered since the last call to the
 * current test's coverage. Only during Stryker's initial (dry) run, the one
 * whose coverage it reads; a no-op otherwise. Called after every test by
 * stryker-hooks.mjs and before a relay is killed, restarted or stopped.
 */
export async function collectRelayCoverage() {
  await Promise.all([...relays.values()].map((relay) => coverageOf(relay.child)));
}

const COVERAGE_WAIT_MS = 2000;

async function coverageOf(child) {
  const ns = stryker();
  if (ns === undefined || ns.activeMutant !== undefined || !child.connected) return;
  const counts = await new Promise((resolve) => {
    const timer = setTimeout(() => done({}), COVERAGE_WAIT_MS);
    const onMessage = (message) => {
      if (message && typeof message === 'object' && 'strykerCoverage' in message) done(message.strykerCoverage);
    };
    function done(value) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    }
    const onExit = () => done({});
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send('stryker-coverage', (error) => error && done({}));
  });
  addCoverage(ns, counts);
}

/** Counts go to the running test, as Stryker's own instrumentation does, or to the static bucket between tests. */
function addCoverage(ns, counts) {
  const coverage = (ns.mutantCoverage ??= {static: {}, perTest: {}});
  const target = ns.currentTestId ? (coverage.perTest[ns.currentTestId] ??= {}) : coverage.static;
  for (const [id, n] of Object.entries(counts)) target[id] = (target[id] ?? 0) + n;
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
