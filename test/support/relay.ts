/**
 * A real relay process and a WebSocket factory for tests that run both in
 * Node and in Chromium. Node drives the processes directly; the browser asks
 * the test server's middleware (web-test-runner.config.mjs) to do it.
 */
import type {SocketFactory, SocketLike} from '../../src/core/stack/socket.js';

export interface TestRelay {
  url: string;
  /** SIGKILL: every socket dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Kill, then start again on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a hung relay that keeps its sockets open. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  stop(): Promise<void>;
}

const inBrowser = typeof window !== 'undefined';

interface Processes {
  startRelayProcess(args?: string[]): Promise<{id: string; url: string}>;
  killRelayProcess(id: string): Promise<void>;
  restartRelayProcess(id: string): Promise<void>;
  freezeRelayProcess(id: string): Promise<void>;
  thawRelayProcess(id: string): Promise<void>;
  stopRelayProcess(id: string): Promise<void>;
}

async function nodeProcesses(): Promise<Processes> {
  const path = './relay-processes.mjs'; // not a literal: browser tooling must not resolve it
  return (await import(/* @vite-ignore */ path)) as Processes;
}

async function control(action: string, id = '', args: string[] = []): Promise<{id: string; url: string}> {
  const response = await fetch(`/__relay/${action}?id=${id}&args=${args.join(',')}`, {method: 'POST'});
  if (!response.ok) throw new Error(`relay ${action} failed: ${await response.text()}`);
  return (await response.json()) as {id: string; url: string};
}

export async function startTestRelay(args: string[] = []): Promise<TestRelay> {
  if (inBrowser) {
    const {id, url} = await control('start', '', args);
    return {
      url,
      kill: async () => void (await control('kill', id)),
      restart: async () => void (await control('restart', id)),
      freeze: async () => void (await control('freeze', id)),
      thaw: async () => void (await control('thaw', id)),
      stop: async () => void (await control('stop', id)),
    };
  }
  const processes = await nodeProcesses();
  const {id, url} = await processes.startRelayProcess(args);
  return {
    url,
    kill: () => processes.killRelayProcess(id),
    restart: () => processes.restartRelayProcess(id),
    freeze: () => processes.freezeRelayProcess(id),
    thaw: () => processes.thawRelayProcess(id),
    stop: () => processes.stopRelayProcess(id),
  };
}

let wsFactory: SocketFactory | undefined;

/** The platform WebSocket in the browser, the `ws` package in Node 20. */
export async function testSocketFactory(): Promise<SocketFactory> {
  if (inBrowser) return (url) => new WebSocket(url) as unknown as SocketLike;
  if (wsFactory === undefined) {
    const name = 'ws';
    const ws = (await import(/* @vite-ignore */ name)) as {WebSocket: new (url: string) => SocketLike};
    wsFactory = (url) => new ws.WebSocket(url);
  }
  return wsFactory;
}

/** Resolves when `check` holds, polling; fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 10000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
