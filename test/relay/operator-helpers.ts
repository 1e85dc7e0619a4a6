/**
 * For the operator-feature tests: a self-signed certificate made with
 * Debian's openssl (a dependency of ca-certificates, so present wherever npm
 * and git fetch over https), the relay command as a child process, upgrade
 * status probes and a small parser of Prometheus' text format.
 */
import {expect} from 'chai';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {request as httpsRequest} from 'node:https';
import {request as httpRequest} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {WebSocket} from 'ws';
import {until, within} from './helpers.js';

export interface Certificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

/** A P-256 certificate for 127.0.0.1 and localhost, valid one day, made fresh for the test. */
export function selfSignedCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'ms-relay-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], {stdio: ['ignore', 'ignore', 'pipe'], timeout: 15000});
  } catch (error) {
    rmSync(dir, {recursive: true, force: true});
    throw new Error(`openssl could not make a test certificate (Debian: apt-get install -y openssl): ${String(error)}`, {cause: error});
  }
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    keyFile,
    remove: () => rmSync(dir, {recursive: true, force: true}),
  };
}

/** Opens a WebSocket and resolves with the HTTP status it was refused with (and its Retry-After), or 101 if it opened. */
export function upgrade(url: string, options: {headers?: Record<string, string>; ca?: string; origin?: string} = {}): Promise<{status: number; retryAfter?: string}> {
  const ws = new WebSocket(url, {headers: options.headers, ...(options.ca ? {ca: options.ca} : {}), ...(options.origin ? {origin: options.origin} : {})});
  return within(new Promise<{status: number; retryAfter?: string}>((resolve) => {
    ws.on('open', () => resolve({status: 101}));
    ws.on('unexpected-response', (_req, res) => {
      const retry = res.headers['retry-after'];
      resolve({status: res.statusCode ?? 0, ...(typeof retry === 'string' ? {retryAfter: retry} : {})});
    });
    ws.on('error', () => resolve({status: -1}));
  }).finally(() => ws.terminate()), 'the upgrade to be answered');
}

/** GET `path` on a relay at `url` (ws:// or wss://); resolves with status, content type and body. */
export function httpGet(url: string, path: string, ca?: string): Promise<{status: number; type: string; body: string}> {
  const target = new URL(path, url.replace(/^ws/, 'http'));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return within(new Promise((resolve, reject) => {
    const req = request(target, {method: 'GET', ...(ca ? {ca} : {})}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), body}));
    });
    req.on('error', reject);
    req.end();
  }), `GET ${path}`);
}

/** One sample per series, keyed `name` or `name{label="value",…}` with labels in the order given. */
export type Samples = Map<string, number>;

/**
 * Reads Prometheus' text exposition format (version 0.0.4): `# HELP`/`# TYPE`
 * lines are checked for the sample names, samples are `series value`.
 */
export function parseMetrics(text: string): {samples: Samples; types: Map<string, string>} {
  const samples: Samples = new Map();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(line);
    expect(sample, `a sample line: ${line}`).to.not.equal(null);
    const value = sampleValue(sample![3]!);
    expect(value, `a number in: ${line}`).to.not.equal(undefined);
    samples.set(`${sample![1]}${sample![2] ?? ''}`, value!);
  }
  return {samples, types};
}

/** A float as Go's ParseFloat reads it: NaN and infinities in any case (prom-client writes "Nan"). */
function sampleValue(text: string): number | undefined {
  const special = text.toLowerCase();
  if (special === 'nan') return NaN;
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  const value = Number(text);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && !Number.isNaN(value) ? value : undefined;
}

export async function scrape(url: string, ca?: string): Promise<Samples> {
  const response = await httpGet(url, '/metrics', ca);
  expect(response.status).to.equal(200);
  expect(response.type).to.equal('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(response.body).samples;
}

/** A sample's value; a missing series fails the test rather than reading as 0. */
export function sample(samples: Samples, series: string): number {
  const value = samples.get(series);
  expect(value, `series ${series} in /metrics`).to.be.a('number');
  return value!;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RelayProcess {
  url: string;
  child: ChildProcess;
  logs(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** `moneysocket relay --port 0 …args` from the sources; resolves once it printed its address. */
export async function relayProcess(args: string[]): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/relay/relay-cli.ts', 'relay', '--port', '0', ...args], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await within(exited, 'the relay to exit', 5000).catch(() => child.kill('SIGKILL'));
  };
  try {
    await until(() => out.includes('\n') || child.exitCode !== null, 'the relay to print its address', 15000);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`relay exited with ${child.exitCode}: ${err}`);
  return {
    url: out.trim(),
    child,
    logs: () => err.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    stop,
  };
}
