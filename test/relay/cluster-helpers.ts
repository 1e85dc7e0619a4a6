/**
 * Shared by the cluster tests: a throwaway Redis and relay nodes as real
 * processes (`moneysocket relay --redis … --node-id …`) on 127.0.0.1.
 */
import {expect} from 'chai';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import {startTestRedis, type TestRedis} from '../support/redis-server.js';
import {startTestRelay, type TestRelay} from '../support/relay.js';
import {Client, rendezvousFrame, within} from './helpers.js';

/** Short, so dead-node tests stay quick: nodes are held dead after 600 ms, beat every 200 ms. */
export const CLAIM_TTL_MS = 1200;
/** Cluster tests wait longer than single-relay ones: three nodes and Redis share two busy cores. */
export const CLUSTER_WAIT_MS = 10000;

export interface Node {
  name: string;
  relay: TestRelay;
  url: string;
}

export interface TestCluster {
  redis: TestRedis;
  nodes: Node[];
  stop(): Promise<void>;
}

export async function startCluster(names: string[], claimTtlMs = CLAIM_TTL_MS): Promise<TestCluster> {
  const redis = await startTestRedis();
  const nodes: Node[] = [];
  try {
    for (const name of names) {
      const relay = await startTestRelay(['--redis', redis.url, '--node-id', name, '--claim-ttl-ms', String(claimTtlMs)]);
      nodes.push({name, relay, url: relay.url});
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.relay.stop()));
    await redis.stop();
    throw error;
  }
  return {
    redis,
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.relay.stop()));
      await redis.stop();
    },
  };
}

export interface Health {
  status: string;
  connections: number;
  waiting: number;
  pairs: number;
  cluster?: {node: string; instance: string; redis: 'up' | 'down'};
}

export async function health(url: string): Promise<Health> {
  const response = await fetch(`${url.replace(/^ws/, 'http')}/healthz`);
  return (await response.json()) as Health;
}

/** Polls a node's /healthz until `check` holds; bounded. */
export async function untilHealth(url: string, check: (h: Health) => boolean, what: string, ms = CLUSTER_WAIT_MS): Promise<Health> {
  const deadline = Date.now() + ms;
  for (;;) {
    const h = await health(url).catch(() => undefined);
    if (h !== undefined && check(h)) return h;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${JSON.stringify(h)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a client, asks for `rid` and checks NOT_READY references its request. */
export async function waiter(url: string, rid: string): Promise<Client> {
  const client = await Client.open(url);
  const request = rendezvousFrame(rid);
  client.send(request.frame);
  const reply = await client.notification('NOTIFY_RENDEZVOUS_NOT_READY');
  expect(reply.request_reference_uuid).to.equal(request.uuid);
  return client;
}

/** A pair on `rid` whose first client waited on `first`, the second came through `second`. */
export async function crossPair(first: string, second: string, rid = rendezvousIdOf(SharedSeed.generate())): Promise<{a: Client; b: Client; rid: string}> {
  const a = await Client.open(first);
  const b = await Client.open(second);
  const ra = rendezvousFrame(rid);
  a.send(ra.frame);
  await a.notification('NOTIFY_RENDEZVOUS_NOT_READY');
  const rb = rendezvousFrame(rid);
  b.send(rb.frame);
  expect((await b.notification('NOTIFY_RENDEZVOUS')).request_reference_uuid).to.equal(rb.uuid);
  expect((await a.notification('NOTIFY_RENDEZVOUS')).request_reference_uuid).to.equal(ra.uuid);
  return {a, b, rid};
}

/** What a client saw first: a frame, or the relay closing it. */
export async function firstOutcome(client: Client, what: string): Promise<{frame: Buffer} | {closed: {code: number; reason: string}}> {
  return within(
    Promise.race([client.next(what).then((m) => ({frame: m.data})), client.closed.then((closed) => ({closed}))]),
    what,
    CLUSTER_WAIT_MS,
  );
}
