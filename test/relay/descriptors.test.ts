/**
 * A relay process started under a low descriptor limit (`ulimit -n 256`):
 * by default it stops accepting WebSockets before it runs out, with 503s and
 * a /healthz that still answers; with a limit set too high it runs out, and
 * says so once per episode.
 */
import {expect} from 'chai';
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {WebSocket} from 'ws';
import {delay, until, within} from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DESCRIPTORS = 256;

interface RelayProcess {
  child: ChildProcess;
  url: string;
  port: number;
  logs(): Array<Record<string, unknown>>;
}

/** `moneysocket relay` from the sources, in bash with `ulimit -n` lowered first. */
async function startLimitedRelay(args: string[]): Promise<RelayProcess> {
  const command = `ulimit -n ${DESCRIPTORS} && exec "${process.execPath}" --import tsx test/relay/relay-cli.ts relay --port 0 ${args.join(' ')}`;
  const child = spawn('bash', ['-c', command], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await until(() => out.includes('\n') || child.exitCode !== null, 'the relay to print its address', 15000);
  const url = out.trim();
  expect(url, err).to.match(/^ws:\/\/127\.0\.0\.1:\d+$/);
  const logs = (): Array<Record<string, unknown>> =>
    err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {child, url, port: Number(url.split(':')[2]), logs};
}

let children: ChildProcess[] = [];
let sockets: WebSocket[] = [];

/** Opens `count` WebSockets, `batch` at a time; resolves with those that opened, how many failed, and the HTTP refusals. */
async function openMany(url: string, count: number, batchSize = 32): Promise<{opened: WebSocket[]; failed: number; statuses: number[]}> {
  const opened: WebSocket[] = [];
  const statuses: number[] = [];
  let failed = 0;
  for (let i = 0; i < count; i += batchSize) {
    const batch = Array.from({length: Math.min(batchSize, count - i)}, () => new WebSocket(url));
    sockets.push(...batch);
    const results = await Promise.all(batch.map((ws) => within(new Promise<boolean>((resolve) => {
      ws.on('open', () => resolve(true));
      ws.on('unexpected-response', (_req, res) => {
        statuses.push(res.statusCode ?? 0);
        ws.terminate();
        resolve(false);
      });
      ws.on('error', () => resolve(false));
    }), 'a connection to open or fail', 10000)));
    results.forEach((ok, j) => (ok ? opened.push(batch[j]!) : failed++));
  }
  return {opened, failed, statuses};
}

async function health(port: number): Promise<{status: number; body: unknown}> {
  const response = await within(fetch(`http://127.0.0.1:${port}/healthz`), 'GET /healthz', 5000);
  return {status: response.status, body: await response.json()};
}

describe(`relay process under ulimit -n ${DESCRIPTORS}`, function () {
  this.timeout(60000);

  afterEach(async () => {
    for (const ws of sockets) ws.terminate();
    sockets = [];
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    })));
    children = [];
  });

  it('derives its connection limit from the descriptor limit, answers 503 beyond it, and /healthz keeps answering', async () => {
    const relay = await startLimitedRelay(['--idle-timeout-ms', '0']);
    const listening = relay.logs().find((e) => e['event'] === 'listening')!;
    expect(listening).to.deep.include({descriptor_limit: DESCRIPTORS, max_connections: 192});
    const {opened, failed} = await openMany(relay.url, 192);
    expect({opened: opened.length, failed}).to.deep.equal({opened: 192, failed: 0});
    // A few at a time: plain HTTP may hold 16 sockets beyond the WebSocket limit, and a burst beyond those is cut.
    const beyond = await openMany(relay.url, 40, 8);
    expect(beyond.opened).to.have.length(0);
    expect(beyond.statuses, 'every refusal is an HTTP 503, none a dropped connection').to.deep.equal(Array(40).fill(503));
    for (let i = 0; i < 5; i++) {
      expect(await health(relay.port)).to.deep.equal({status: 200, body: {status: 'ok', connections: 192, waiting: 0, pairs: 0}});
    }
    await delay(1200); // a descriptor probe has run
    expect(relay.logs().filter((e) => String(e['event']).startsWith('descriptors-'))).to.deep.equal([]);
    expect(relay.logs().some((e) => e['event'] === 'refused' && e['status'] === 503)).to.equal(true);
  });

  it('with a connection limit above what the descriptors allow, warns, and logs running out once per episode', async () => {
    const relay = await startLimitedRelay(['--idle-timeout-ms', '0', '--max-connections', '1000']);
    expect(relay.logs().some((e) => e['event'] === 'warning' && String(e['reason']).includes('descriptors'))).to.equal(true);
    const {opened, failed} = await openMany(relay.url, 300);
    expect(failed, 'some connections found no descriptor').to.be.greaterThan(0);
    await until(() => relay.logs().some((e) => e['event'] === 'descriptors-exhausted'), 'the relay to report running out', 5000);
    await openMany(relay.url, 64); // more failures in the same episode
    await delay(1200);
    const exhausted = relay.logs().filter((e) => e['event'] === 'descriptors-exhausted');
    expect(exhausted).to.have.length(1);
    expect(exhausted[0]!['code']).to.equal('EMFILE');
    for (const ws of opened.splice(0, 100)) ws.close();
    await until(() => relay.logs().some((e) => e['event'] === 'descriptors-available'), 'the relay to report descriptors back', 5000);
    const again = await openMany(relay.url, 1);
    expect(again.opened).to.have.length(1);
    expect((await health(relay.port)).status).to.equal(200);
    expect(relay.logs().filter((e) => String(e['event']).startsWith('descriptors-'))).to.have.length(2);
  });
});
