import {expect} from 'chai';
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import type {Socket} from 'node:net';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {WebSocket} from 'ws';
import {main} from '../../src/cli/main.js';
import {randomBytes, utf8DecodeLenient, utf8Encode} from '../../src/core/bytes.js';
import {createNotification, createRequest} from '../../src/core/message-types.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {hex, loadVectors, unhex} from '../vectors.js';
import {
  Client,
  ciphertext,
  cleanUp,
  delay,
  droppedFrames,
  expectForwarded,
  opaque,
  pair,
  rawSocket,
  relay,
  rendezvousFrame,
  terminateClients,
  until,
  within,
} from './helpers.js';

interface SessionEvent {
  seq: number;
  event: string;
  from?: string;
  to?: string;
  by?: string;
  conn?: string;
  initiated_by?: string;
  frame_hex?: string;
  encrypted?: boolean;
}

const sessions = (await loadVectors<{name: string; transcript: SessionEvent[]}>('sessions.json')).vectors;

/** Checks a relay notification against the recorded one: same meaning, fresh uuid and time. */
function sameNotification(have: Buffer, wantHex: string, what: string): void {
  const want = JSON.parse(utf8DecodeLenient(unhex(wantHex))) as Record<string, unknown>;
  const got = JSON.parse(utf8DecodeLenient(have)) as Record<string, unknown>;
  for (const key of ['message_class', 'notification_name', 'request_reference_uuid', 'rendezvous_id']) {
    expect(got[key], `${key} of ${what}`).to.deep.equal(want[key]);
  }
}

/** Plays the clients' side of a recorded session over real sockets, checking every relay frame. */
async function replaySession(url: string, transcript: SessionEvent[]): Promise<void> {
  const side = new Map<string, Client>();
  for (const e of transcript) {
    if (e.event === 'ws_open') side.set(e.from!, await Client.open(url));
    if (e.event === 'frame' && e.to === 'relay') side.get(e.from!)!.send(unhex(e.frame_hex!));
    if (e.event === 'frame' && e.from === 'relay') {
      const got = await side.get(e.to!)!.next(`relay frame #${e.seq}`);
      if (e.encrypted) expect(hex(got.data), `relay frame #${e.seq}`).to.equal(e.frame_hex);
      else sameNotification(got.data, e.frame_hex!, `relay frame #${e.seq}`);
    }
    if (e.event === 'ws_close_initiated') side.get(e.by!)!.ws.close();
    if (e.event === 'ws_closed') await side.get(e.conn!)!.closedWith(`${e.conn} to close`);
  }
}

describe('relay over real WebSockets', () => {
  afterEach(async () => {
    await cleanUp();
  });

  it('listens on an ephemeral port and reports its ws:// address', async () => {
    const {relay: r, logs} = await relay();
    expect(r.port).to.be.greaterThan(0);
    expect(r.host).to.equal('127.0.0.1');
    expect(r.url).to.equal(`ws://127.0.0.1:${r.port}`);
    expect(logs[0]).to.deep.include({event: 'listening', url: r.url});
  });

  for (const session of sessions) {
    it(`replays the recorded session "${session.name}" frame for frame`, async () => {
      const {relay: r} = await relay();
      await replaySession(r.url, session.transcript);
      await until(() => r.stats().connections === 0, 'the relay to forget both connections');
    });
  }

  for (const first of ['provider', 'consumer']) {
    it(`pairs ${first}-first: NOT_READY, then NOTIFY_RENDEZVOUS to the newcomer before the waiting one`, async () => {
      const {relay: r} = await relay();
      const rid = rendezvousIdOf(SharedSeed.generate());
      const waiting = await Client.open(r.url);
      const newcomer = await Client.open(r.url);
      const w = rendezvousFrame(rid);
      waiting.send(w.frame);
      const notReady = await waiting.notification('NOTIFY_RENDEZVOUS_NOT_READY');
      expect(notReady.request_reference_uuid).to.equal(w.uuid);
      expect(notReady['rendezvous_id']).to.equal(rid);
      expect(r.stats()).to.deep.equal({connections: 2, waiting: 1, pairs: 0});
      const n = rendezvousFrame(rid);
      newcomer.send(n.frame);
      const toNewcomer = await newcomer.notification('NOTIFY_RENDEZVOUS');
      const toWaiting = await waiting.notification('NOTIFY_RENDEZVOUS');
      expect(toNewcomer.request_reference_uuid).to.equal(n.uuid);
      expect(toWaiting.request_reference_uuid).to.equal(w.uuid);
      expect([toNewcomer['rendezvous_id'], toWaiting['rendezvous_id']]).to.deep.equal([rid, rid]);
      expect(toNewcomer.timestamp).to.be.at.most(toWaiting.timestamp);
      expect(r.stats()).to.deep.equal({connections: 2, waiting: 0, pairs: 1});
    });
  }

  it('forwards encrypted frames byte-for-byte both ways, including empty and near-limit ones', async () => {
    const {relay: r} = await relay();
    const {a, b} = await pair(r.url);
    const seed = SharedSeed.generate();
    await expectForwarded(a, b, ciphertext(seed));
    await expectForwarded(b, a, ciphertext(seed));
    for (const size of [0, 1, 17, 64 * 1024]) await expectForwarded(a, b, opaque(size));
  });

  it('forwards a burst whole and in order (the frames of one read leave in one write), then a lone frame at once', async () => {
    const {relay: r} = await relay();
    const {a, b} = await pair(r.url);
    const frames = Array.from({length: 500}, (_, i) => opaque(1 + (i % 300)).map((byte, j) => (j < 2 ? (i >> (8 * j)) & 0xff : byte)));
    for (const frame of frames) a.send(frame);
    for (const [i, frame] of frames.entries()) expect((await b.next(`frame ${i}`)).data.equals(frame), `frame ${i}`).to.equal(true);
    await expectForwarded(b, a, opaque(40));
    await expectForwarded(a, b, opaque(41));
  });

  it('sends NOTIFY_RENDEZVOUS_END to the survivor and closes it when the other side leaves', async () => {
    const {relay: r} = await relay();
    const {a, b, rid} = await pair(r.url);
    a.ws.close();
    const end = await b.notification('NOTIFY_RENDEZVOUS_END');
    expect(end.request_reference_uuid).to.equal(null);
    expect(end['rendezvous_id']).to.equal(rid);
    expect((await b.closedWith()).code).to.equal(1000);
    await until(() => r.stats().connections === 0, 'both connections to be gone');
  });

  it('closes a third client asking for the same id, keeps the pair working, and frees the id after', async () => {
    const {relay: r} = await relay();
    const {a, b, rid} = await pair(r.url);
    const third = await Client.open(r.url);
    third.send(rendezvousFrame(rid).frame);
    const closed = await third.closedWith('the third client to be closed');
    expect(closed).to.deep.equal({code: 1008, reason: 'rendezvous id in use'});
    expect(third.pending()).to.equal(0);
    const seed = SharedSeed.generate();
    await expectForwarded(a, b, ciphertext(seed));
    await expectForwarded(b, a, ciphertext(seed));
    a.ws.close();
    await b.closedWith();
    await a.closedWith();
    const again = await pair(r.url, rid);
    await expectForwarded(again.a, again.b, ciphertext(seed));
  });

  it('drops ciphertext, garbage, other clear messages and text frames before rendezvous, and stays usable', async () => {
    const {relay: r, logs} = await relay({logIntervalMs: 50});
    const rid = rendezvousIdOf(SharedSeed.generate());
    const a = await Client.open(r.url);
    const seed = SharedSeed.generate();
    a.send(ciphertext(seed));
    a.send(utf8Encode('{"this": "is not a message"}'));
    a.send(new Uint8Array([0xff, 0xfe, 0x00]));
    a.send(utf8Encode(JSON.stringify(createNotification('NOTIFY_RENDEZVOUS', null, {rendezvous_id: rid}))));
    a.send(utf8Encode(JSON.stringify(createRequest('REQUEST_PING', {}))));
    a.send(utf8DecodeLenient(rendezvousFrame(rid).frame)); // as a text frame
    a.ws.send(Buffer.from([0xc3, 0x28]), {binary: false}); // a text frame that is not even UTF-8
    const w = rendezvousFrame(rid);
    a.send(w.frame);
    const first = await a.notification('NOTIFY_RENDEZVOUS_NOT_READY');
    expect(first.request_reference_uuid).to.equal(w.uuid);
    // Dropped-frame lines are summed per connection and reason, so count the frames they stand for.
    await until(() => droppedFrames(logs) === 7, 'seven dropped frames in the log');
    const b = await Client.open(r.url);
    b.send(rendezvousFrame(rid).frame);
    await b.notification('NOTIFY_RENDEZVOUS');
    await a.notification('NOTIFY_RENDEZVOUS');
    await expectForwarded(b, a, ciphertext(seed));
    expect(a.isOpen).to.equal(true);
  });

  it('drops text frames and invalid clear frames after pairing without closing anything', async () => {
    const {relay: r, logs} = await relay();
    const {a, b} = await pair(r.url);
    a.send('hello');
    a.send(utf8Encode('{"not": "valid"}'));
    const seed = SharedSeed.generate();
    await expectForwarded(a, b, ciphertext(seed));
    expect(b.pending()).to.equal(0);
    expect(droppedFrames(logs)).to.equal(2);
  });

  it('closes a connection that sends an oversized frame with 1009 and leaves other pairs alone', async () => {
    const {relay: r} = await relay({maxFrameBytes: 1024});
    const big = await pair(r.url);
    const other = await pair(r.url);
    await expectForwarded(big.a, big.b, opaque(1024));
    big.a.send(randomBytes(1025));
    expect((await big.a.closedWith('the oversized sender to be closed')).code).to.equal(1009);
    await big.b.notification('NOTIFY_RENDEZVOUS_END'); // its session ended with it
    await expectForwarded(other.a, other.b, ciphertext(SharedSeed.generate()));
    expect(other.a.isOpen && other.b.isOpen).to.equal(true);
  });

  it('refuses connections beyond maxConnections with HTTP 503, and accepts again when one leaves', async () => {
    const {relay: r} = await relay({maxConnections: 2});
    const one = await Client.open(r.url);
    await Client.open(r.url);
    const refused = new WebSocket(r.url);
    const status = await within(new Promise<number>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('error', () => resolve(-1));
    }), 'the third connection to be refused');
    refused.terminate();
    expect(status).to.equal(503);
    one.ws.close();
    await one.closedWith();
    await until(() => r.stats().connections === 1, 'the relay to see the close');
    await Client.open(r.url);
  });

  it('closes clients that ask for no rendezvous after idleTimeoutMs, sparing waiting and paired ones', async () => {
    const {relay: r} = await relay({idleTimeoutMs: 300});
    await pair(r.url);
    const silent = await Client.open(r.url);
    const waiting = await Client.open(r.url);
    waiting.send(rendezvousFrame(rendezvousIdOf(SharedSeed.generate())).frame);
    await waiting.notification('NOTIFY_RENDEZVOUS_NOT_READY');
    expect((await silent.closedWith('the idle timeout')).code).to.equal(1008);
    await delay(400);
    expect(r.stats()).to.deep.equal({connections: 3, waiting: 1, pairs: 1});
    waiting.ws.close();
    await waiting.closedWith();
  });

  it('closes clients still waiting for their peer after waitingTimeoutMs, when set', async () => {
    const {relay: r} = await relay({waitingTimeoutMs: 300});
    const {a, b} = await pair(r.url);
    const waiting = await Client.open(r.url);
    waiting.send(rendezvousFrame(rendezvousIdOf(SharedSeed.generate())).frame);
    await waiting.notification('NOTIFY_RENDEZVOUS_NOT_READY');
    expect((await waiting.closedWith('the waiting timeout')).code).to.equal(1008);
    await delay(100);
    await expectForwarded(a, b, ciphertext(SharedSeed.generate()));
    expect(r.stats()).to.deep.equal({connections: 2, waiting: 0, pairs: 1});
  });

  it('closes a peer that stops reading once too much piles up for it, ending the rendezvous', async () => {
    const {relay: r, logs} = await relay({maxBufferedBytes: 256 * 1024});
    const {a, b} = await pair(r.url);
    // b stops reading at the TCP level. Once the kernel's socket buffers (tens
    // of MB on loopback) are full, the relay's own send buffer towards b grows.
    (b.ws as unknown as {_socket: {pause(): void}})._socket.pause();
    const chunk = new Uint8Array(60_000).fill(0x80);
    for (let i = 0; i < 3000 && a.isOpen; i++) {
      a.send(chunk);
      if (i % 20 === 0) await delay(1);
    }
    expect(logs.some((l) => l['event'] === 'slow-reader')).to.equal(true);
    expect((await a.closedWith('the rendezvous to end')).code).to.be.oneOf([1000, 1006]);
    await until(() => r.stats().pairs === 0, 'the pair to be gone');
  });

  it('answers GET /healthz with 200 JSON over plain HTTP, anything else with 404', async () => {
    const {relay: r} = await relay();
    await pair(r.url);
    const base = `http://127.0.0.1:${r.port}`;
    const health = await within(fetch(`${base}/healthz`), 'GET /healthz');
    expect(health.status).to.equal(200);
    expect(health.headers.get('content-type')).to.equal('application/json');
    expect(await health.json()).to.deep.equal({status: 'ok', connections: 2, waiting: 0, pairs: 1});
    const missing = await within(fetch(`${base}/`), 'GET /');
    expect(missing.status).to.equal(404);
    await missing.arrayBuffer();
  });

  it('close() closes every client and the listener', async () => {
    const {relay: r, logs} = await relay();
    const {a, b} = await pair(r.url);
    const fresh = await Client.open(r.url);
    await within(r.close(), 'relay.close()');
    for (const c of [a, b, fresh]) expect((await c.closedWith()).code).to.equal(1001);
    expect(logs.some((e) => e['event'] === 'shutdown')).to.equal(true);
    const again = new WebSocket(r.url);
    const failed = await within(new Promise<boolean>((resolve) => again.on('error', () => resolve(true))), 'a refused connection');
    expect(failed).to.equal(true);
  });

  it('survives protocol-level garbage: broken HTTP, broken WebSocket framing, abrupt resets', async () => {
    const {relay: r} = await relay();
    await rawSocket(r.port, 'this is not HTTP\r\n\r\n');
    const ws = await Client.open(r.url);
    const raw = (ws.ws as unknown as {_socket: Socket})._socket;
    raw.write(Buffer.from([0x8f, 0x80, 1, 2, 3, 4])); // masked frame with a reserved opcode
    expect((await ws.closedWith('ws to reject the bad frame')).code).to.equal(1002);
    const reset = await Client.open(r.url);
    reset.send(rendezvousFrame(rendezvousIdOf(SharedSeed.generate())).frame);
    reset.ws.terminate();
    const {a, b} = await pair(r.url);
    await expectForwarded(a, b, opaque(100));
    await until(() => r.stats().connections === 2, 'only the pair to remain');
  });

  it('logs one structured entry per event and never a frame', async () => {
    const {relay: r, logs} = await relay();
    const seed = SharedSeed.generate();
    const frame = ciphertext(seed);
    const {a, b, rid} = await pair(r.url);
    await expectForwarded(a, b, frame);
    a.ws.close();
    await b.closedWith();
    const events = logs.map((e) => e['event']);
    for (const name of ['listening', 'connection', 'rendezvous', 'paired', 'ended', 'closed']) expect(events).to.include(name);
    const text = JSON.stringify(logs);
    expect(text).to.contain(rid);
    expect(text).to.not.contain(hex(frame).slice(0, 32));
  });
});

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/moneysocket.js`;
const run = promisify(execFile);

/** The compiled CLI is older than some source file (or missing). */
function distIsStale(): boolean {
  const built = `${root}dist/src/cli/relay-command.js`;
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return ['src/relay', 'src/cli', 'src/core'].some((dir) =>
    readdirSync(`${root}${dir}`).some((f) => f.endsWith('.ts') && statSync(`${root}${dir}/${f}`).mtimeMs > builtAt),
  );
}

/** Collects a child's output and resolves with its exit code. */
function watch(child: ChildProcess): {stdout: () => string; stderr: () => string; exited: Promise<number | null>} {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {stdout: () => out, stderr: () => err, exited};
}

describe('moneysocket relay (CLI)', function () {
  let child: ChildProcess | undefined;

  before(async function () {
    if (!distIsStale()) return;
    this.timeout(120000);
    // Other parts of src may be mid-edit; tsc still emits, so judge by the output file.
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], {cwd: root}).catch(() => undefined);
    expect(existsSync(`${root}dist/src/cli/relay-command.js`)).to.equal(true);
  });

  afterEach(() => {
    terminateClients();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  it('prints its ws:// address, relays, and exits 0 on SIGTERM after closing every client', async () => {
    child = spawn('node', [bin, 'relay', '--port', '0'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
    const io = watch(child);
    await until(() => io.stdout().includes('\n'), 'the address line');
    const url = io.stdout().trim();
    expect(url).to.match(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(url).to.not.equal('ws://127.0.0.1:0');
    const {a, b} = await pair(url);
    await expectForwarded(a, b, ciphertext(SharedSeed.generate()));
    child.kill('SIGTERM');
    expect(await within(io.exited, 'the relay to exit')).to.equal(0);
    await a.closedWith();
    await b.closedWith();
    expect(io.stdout().trim().split('\n')).to.deep.equal([url]);
    const logs = io.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.map((e) => e['event'])).to.include.members(['listening', 'paired', 'signal', 'shutdown']);
  });

  it('prints help with --help', async () => {
    const out: string[] = [];
    const code = await main(['relay', '--help'], {out: (l) => out.push(l), err: () => {}});
    expect(code).to.equal(0);
    expect(out.join('\n')).to.match(/^Usage: moneysocket relay/).and.to.contain('--max-frame-bytes');
  });

  for (const port of ['abc', '70000', '-1', '']) {
    it(`exits 1 with one INVALID_ARGUMENT line for --port "${port}"`, async () => {
      const r = await run('node', [bin, 'relay', `--port=${port}`], {cwd: root}).then(
        ({stdout, stderr}) => ({code: 0, stdout, stderr}),
        (e: {code: number; stdout: string; stderr: string}) => e,
      );
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).to.have.length(1);
      expect(lines[0]).to.match(/^error INVALID_ARGUMENT: .+/);
    });
  }
});
