/** `moneysocket relay`: the hardening flags reach the relay, and bad values are usage errors. */
import {expect} from 'chai';
import {WebSocket} from 'ws';
import {main} from '../../src/cli/main.js';
import {RELAY_HELP} from '../../src/cli/relay-command.js';
import {until, within} from '../relay/helpers.js';
import {relayProcess, sample, scrape, upgrade, type RelayProcess} from '../relay/operator-helpers.js';


async function inProcess(...args: string[]): Promise<{code: number; out: string[]; err: string[]}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {out: (l) => out.push(l), err: (l) => err.push(l)});
  return {code, out, err};
}

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(url, {headers});
  return within(new Promise<number>((resolve) => {
    ws.on('open', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  }).finally(() => ws.terminate()), 'the upgrade to be answered');
}

describe('moneysocket relay: hardening flags', function () {
  this.timeout(30000);
  let child: RelayProcess | undefined;

  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  it('documents every flag in --help', async () => {
    const {code, out} = await inProcess('relay', '--help');
    expect(code).to.equal(0);
    expect(out.join('\n')).to.equal(RELAY_HELP);
    for (const flag of ['--max-clear-frame-bytes', '--max-connections-per-address', '--max-waiting-per-address', '--max-dropped-frames', '--trust-proxy', '--log-interval-ms', '--tls-cert', '--tls-key', '--allow-origin', '--connection-rate-per-address', '--connection-burst-per-address']) {
      expect(RELAY_HELP).to.contain(flag);
    }
  });

  for (const args of [
    ['--max-connections-per-address', '0'],
    ['--max-clear-frame-bytes', 'x'],
    ['--max-dropped-frames=-1'],
    ['--log-interval-ms', '0'],
    ['--trust-proxy', 'proxy.example'],
    ['--trust-proxy', '10.0.0.0/40'],
    ['--tls-cert', 'cert.pem'],
    ['--tls-key', 'key.pem'],
    ['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'],
    ['--tls-cert', 'package.json', '--tls-key', 'package.json'],
    ['--allow-origin', 'app.example.com'],
    ['--allow-origin', 'https://app.example.com/path'],
    ['--connection-rate-per-address', 'x'],
    ['--connection-rate-per-address', '5', '--connection-burst-per-address', '0'],
  ]) {
    it(`exits 1 with one INVALID_ARGUMENT line for ${args.join(' ')}`, async () => {
      const {code, out, err} = await inProcess('relay', '--port', '0', ...args);
      expect(code).to.equal(1);
      expect(out).to.deep.equal([]);
      expect(err).to.have.length(1);
      expect(err[0]).to.match(/^error INVALID_ARGUMENT: /);
    });
  }

  it('passes the per-address limit and the trusted proxies to the relay', async () => {
    child = await relayProcess(['--max-connections-per-address', '1', '--trust-proxy', '192.0.2.1,127.0.0.1']);
    const url = child.url;
    expect(await upgradeStatus(url, {'X-Forwarded-For': '203.0.113.9'})).to.equal(101);
    await until(() => child!.logs().some((e) => e['event'] === 'closed'), 'the first connection to be gone');
    const first = new WebSocket(url, {headers: {'X-Forwarded-For': '203.0.113.9'}});
    await within(new Promise((resolve) => first.once('open', resolve)), 'a connection');
    expect(await upgradeStatus(url, {'X-Forwarded-For': '203.0.113.9'})).to.equal(429);
    expect(await upgradeStatus(url, {'X-Forwarded-For': '203.0.113.10'})).to.equal(101);
    first.terminate();
    const logs = child.logs();
    expect(logs.filter((e) => e['event'] === 'connection').map((e) => e['addr'])).to.include('203.0.113.9');
    expect(logs.some((e) => e['event'] === 'refused' && e['status'] === 429 && e['addr'] === '203.0.113.9')).to.equal(true);
  });
});

describe('moneysocket relay: operator flags', function () {
  this.timeout(30000);
  let proc: RelayProcess | undefined;
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
  });

  it('names the unreadable TLS file and the flag', async () => {
    const {err} = await inProcess('relay', '--port', '0', '--tls-cert', '/nonexistent/cert.pem', '--tls-key', 'package.json');
    expect(err).to.deep.equal(['error INVALID_ARGUMENT: --tls-cert: cannot read "/nonexistent/cert.pem" (ENOENT)']);
  });

  it('passes the allowed origins and the connection rate to the relay', async () => {
    proc = await relayProcess(['--allow-origin', 'https://a.example,https://b.example', '--allow-origin', 'https://c.example', '--connection-rate-per-address', '1', '--connection-burst-per-address', '4']);
    expect(proc.url).to.match(/^ws:\/\//);
    for (const origin of ['https://a.example', 'https://b.example', 'https://c.example']) expect((await upgrade(proc.url, {origin})).status).to.equal(101);
    expect((await upgrade(proc.url, {origin: 'https://d.example'})).status).to.equal(403);
    expect((await upgrade(proc.url, {origin: 'https://a.example'})).status).to.equal(429);
    const m = await scrape(proc.url);
    expect(sample(m, 'moneysocket_relay_refusals_total{reason="origin"}')).to.equal(1);
    expect(sample(m, 'moneysocket_relay_refusals_total{reason="connection-rate"}')).to.equal(1);
    await until(() => proc!.logs().filter((e) => e['event'] === 'refused').length === 2, 'both refusals to be logged');
    expect(proc.logs().filter((e) => e['event'] === 'refused').map((e) => [e['status'], e['reason']])).to.deep.equal([
      [403, 'origin not allowed'],
      [429, 'too many new connections from this address'],
    ]);
  });
});
