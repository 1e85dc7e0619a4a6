/**
 * The cluster's pairing backend: rendezvous records in Redis (claimed and
 * released by the Lua scripts in redis-scripts.ts), frames and notices
 * between nodes over Redis pub/sub, one channel per node instance.
 *
 * Each node publishes on one connection, so what it sends to another node
 * (a 'paired' notice, then frames, then an 'end' notice) arrives in order.
 * Pub/sub does not keep messages for a node that is not listening, so a pair
 * across nodes lives only as long as both nodes keep their Redis links: a
 * node that loses Redis ends its cross-node pairs, and comes back as a new
 * instance (a fresh suffix to its id), which ends them on the other side too.
 */
import {randomBytes} from 'node:crypto';
import {Redis, type ChainableCommander, type RedisOptions} from 'ioredis';
import type {PairingConnection} from './pairing.js';
import type {ClaimAnswer, Holding, PairingBackend, PairingMachine, RemotePeer} from './pairing-backend.js';
import {frameMessage, noticeMessage, readMessage, type Notice} from './cluster-messages.js';
import {CLAIM, LIVE_PREFIX, RELEASE, RESTORE, TOUCH, claimKey, liveKey, nodeChannel} from './redis-scripts.js';

export interface RedisPairingOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** Names this node in logs and in its instance name. */
  nodeId: string;
  /**
   * A node that stops refreshing its live key (every sixth of this) is held
   * dead after half of it: its claims stop counting and, by the next
   * heartbeat of the others, its peers there hear RENDEZVOUS_END; all within
   * this.
   */
  claimTtlMs: number;
  log: (entry: object) => void;
  /** How long `start()` waits for Redis before serving on this node alone. */
  connectWaitMs?: number;
}

/** What the node tells its metrics: frames across nodes, and the state of its link to Redis. */
export interface ClusterObserver {
  crossNodeFrame(direction: 'in' | 'out'): void;
  redisState(state: 'connecting' | 'ready' | 'down'): void;
}

export interface ClusterHealth {
  node: string;
  instance: string;
  redis: 'up' | 'down';
}

type Script = (...args: Array<string | number>) => Promise<unknown>;

/**
 * How long a record lives unrefreshed. Records stop counting as soon as a
 * node they name is dead (its live key gone); the TTL only clears records a
 * dead node left behind for ids nobody uses again.
 */
const RECORD_TTL_MS = 60 * 60 * 1000;
const RECORD_REFRESH_MS = RECORD_TTL_MS / 4;

/** Reconnection delays to Redis: exponential to 2 s, with jitter so nodes do not reconnect in step. */
function retryDelay(times: number): number {
  return Math.round(Math.min(2000, 50 * 2 ** Math.min(times, 6)) * (0.5 + Math.random() / 2));
}

export class RedisPairingBackend<C extends PairingConnection> implements PairingBackend<C> {
  readonly #options: RedisPairingOptions;
  /** Scripts, publishes and heartbeats: one connection, so one order. */
  readonly #cmd: Redis;
  /** Subscribed to this instance's channel. */
  readonly #sub: Redis;
  #machine: PairingMachine<C> | undefined;
  #instance: string;
  #up = false;
  /** Once up, every later recovery takes a new instance name. */
  #everUp = false;
  #recovering = false;
  #closed = false;
  #errorLogged = false;
  #heartbeat: NodeJS.Timeout | undefined;
  /** Releases and publishes not yet answered: shutdown waits for them. */
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #upWaiters: Array<() => void> = [];
  #observer: ClusterObserver | undefined;
  /** When each pair's record was last refreshed, by one of its connections on this node. */
  readonly #touched = new WeakMap<C, number>();

  constructor(options: RedisPairingOptions) {
    this.#options = options;
    this.#instance = newInstance(options.nodeId);
    const common: RedisOptions = {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: retryDelay,
    };
    // No offline queue: while Redis is away, pairing is decided on this node at once, not queued.
    this.#cmd = new Redis(options.url, {...common, enableOfflineQueue: false});
    this.#sub = new Redis(options.url, {...common, autoResubscribe: false});
    this.#cmd.defineCommand('msClaim', {numberOfKeys: 1, lua: CLAIM});
    this.#cmd.defineCommand('msRelease', {numberOfKeys: 1, lua: RELEASE});
    this.#cmd.defineCommand('msTouch', {numberOfKeys: 1, lua: TOUCH});
    this.#cmd.defineCommand('msRestore', {numberOfKeys: 1, lua: RESTORE});
    for (const client of [this.#cmd, this.#sub]) {
      client.on('ready', () => void this.#maybeUp());
      client.on('close', () => this.#down('connection to Redis closed'));
      client.on('error', (error: Error) => this.#logError(error));
    }
    this.#sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.#message(message));
  }

  /** Connects; resolves once the cluster is up, or after `connectWaitMs` with this node serving alone. */
  async start(): Promise<void> {
    const up = new Promise<void>((resolve) => this.#upWaiters.push(resolve));
    // A failed first attempt is retried by ioredis itself; the 'error' event logs it.
    this.#cmd.connect().catch(() => undefined);
    this.#sub.connect().catch(() => undefined);
    const wait = this.#options.connectWaitMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)));
    await Promise.race([up, timeout]);
    clearTimeout(timer);
    if (!this.#up) this.#options.log({event: 'cluster-down', node: this.#options.nodeId, reason: `Redis not reachable within ${wait} ms: serving pairs on this node alone until it is`});
    this.#heartbeat = setInterval(() => void this.#beat(), Math.max(50, Math.floor(this.#options.claimTtlMs / 6)));
  }

  /** The relay's metrics, told the current Redis state at once and every change after. */
  observe(observer: ClusterObserver): void {
    this.#observer = observer;
    observer.redisState(this.#up ? 'ready' : this.#everUp ? 'down' : 'connecting');
  }

  health(): ClusterHealth {
    return {node: this.#options.nodeId, instance: this.#instance, redis: this.#up ? 'up' : 'down'};
  }

  /** After the relay closed its sockets: lets their releases reach Redis, then leaves. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    const settled = Promise.allSettled([...this.#inflight]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (this.#up) await this.#cmd.del(liveKey(this.#instance)).catch(() => undefined);
    this.#up = false;
    // quit() lets queued commands finish, but would wait for a connection that is not there.
    await Promise.all([this.#cmd, this.#sub].map(async (client) => {
      if (client.status === 'ready') await client.quit().then(() => undefined, () => client.disconnect());
      else client.disconnect();
    }));
  }

  bind(machine: PairingMachine<C>): void {
    this.#machine = machine;
  }

  claim(conn: C, rendezvousId: string): ClaimAnswer<C> | Promise<ClaimAnswer<C>> {
    if (!this.#up) return this.#localAnswer(conn, rendezvousId);
    const instance = this.#instance;
    return this.#script('msClaim')(claimKey(rendezvousId), instance, String(conn.id), RECORD_TTL_MS, LIVE_PREFIX).then(
      (reply) => this.#answer(reply as string[], instance),
      () => this.#localAnswer(conn, rendezvousId),
    );
  }

  announce(conn: C, rendezvousId: string, peer: RemotePeer): void {
    this.#notice(peer, {t: 'paired', to: peer.conn, rv: rendezvousId, from: {node: this.#instance, conn: String(conn.id)}});
  }

  release(conn: C, rendezvousId: string): void {
    // While Redis is away the record names an instance this node will not be again: it stops counting.
    if (!this.#up) return;
    const instance = this.#instance;
    const id = String(conn.id);
    const released = this.#script('msRelease')(claimKey(rendezvousId), instance, id, LIVE_PREFIX).then((reply) => {
      const [node, other] = reply as string[];
      if (node === undefined || other === undefined || node === instance) return;
      this.#notice({node, conn: other}, {t: 'end', to: other, rv: rendezvousId, from: {node: instance, conn: id}});
    });
    this.#track(released);
  }

  forward(peer: RemotePeer, frame: Uint8Array): void {
    if (!this.#up) return;
    this.#cmd.publish(nodeChannel(peer.node), frameMessage(peer.conn, frame)).catch(() => undefined);
    this.#observer?.crossNodeFrame('out');
  }

  #answer(reply: string[], instance: string): ClaimAnswer<C> {
    if (reply[0] === 'in-use') return {kind: 'in-use'};
    if (reply[0] !== 'pair') return {kind: 'wait'};
    const [, node, conn] = reply as [string, string, string];
    if (node === instance) return {kind: 'pair', waiter: this.#machine!.connection(conn)};
    return {kind: 'pair-remote', peer: {node, conn}};
  }

  #localAnswer(conn: C, rendezvousId: string): ClaimAnswer<C> {
    const answer = this.#machine!.localAnswer(conn, rendezvousId);
    if (answer.kind === 'wait') {
      this.#options.log({event: 'cluster-local', conn: conn.id, rendezvous_id: rendezvousId, reason: 'Redis is unreachable: this client can pair only with a client of this node; pairing across nodes is refused until Redis is back'});
    }
    return answer;
  }

  #notice(peer: RemotePeer, notice: Notice): void {
    this.#track(this.#cmd.publish(nodeChannel(peer.node), noticeMessage(notice)));
  }

  #message(message: Buffer): void {
    const machine = this.#machine;
    const read = readMessage(message);
    const conn = read === undefined || machine === undefined ? undefined : machine.connection(read.to);
    if (read === undefined || conn === undefined) return;
    if (read.kind === 'frame') {
      this.#observer?.crossNodeFrame('in');
      machine!.remoteFrame(conn, read.frame);
    } else if (read.notice.t === 'paired') machine!.remotePaired(conn, read.notice.rv, read.notice.from);
    else machine!.remoteEnded(conn, read.notice.rv, {left: read.notice.from});
  }


  /** Both connections ready: come back as a new instance and write this node's records again. */
  async #maybeUp(): Promise<void> {
    if (this.#up || this.#recovering || this.#closed) return;
    if (this.#cmd.status !== 'ready' || this.#sub.status !== 'ready') return;
    this.#recovering = true;
    const previous = this.#instance;
    // After an outage, messages for the old instance may have been lost: its pairs must end everywhere.
    const fresh = this.#everUp ? newInstance(this.#options.nodeId) : previous;
    try {
      await this.#cmd.set(liveKey(fresh), '1', 'PX', this.#liveTtl());
      if (fresh !== previous) await this.#cmd.del(liveKey(previous));
      await this.#sub.subscribe(nodeChannel(fresh));
      if (fresh !== previous) await this.#sub.unsubscribe(nodeChannel(previous));
      this.#instance = fresh;
      this.#up = true;
      this.#everUp = true;
      this.#errorLogged = false;
      this.#observer?.redisState('ready');
      this.#rewrite();
      this.#options.log({event: 'cluster-up', node: this.#options.nodeId, instance: fresh});
      for (const resolve of this.#upWaiters.splice(0)) resolve();
    } catch (error) {
      this.#logError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#recovering = false;
    }
  }

  /** Records of this node's waiting connections and same-node pairs, written under the current instance. */
  #rewrite(): void {
    const machine = this.#machine;
    if (machine === undefined) return;
    const pairs = new Set<string>();
    for (const holding of [...machine.holdings()]) {
      // A waiter asks like any claim, so a waiter on another node pairs with it.
      if (holding.phase === 'waiting') machine.reclaim(holding.conn);
      else if (localPeer(holding) !== undefined && !pairs.has(holding.rendezvousId)) {
        pairs.add(holding.rendezvousId);
        this.#restore(holding);
      }
    }
  }

  /** Writes back the record of a pair on this node that Redis no longer has. */
  #restore(holding: Holding<C>): void {
    const peer = localPeer(holding)!;
    const restored = this.#script('msRestore')(claimKey(holding.rendezvousId), this.#instance, String(holding.conn.id), String(peer.id), RECORD_TTL_MS, LIVE_PREFIX).then((written) => {
      if (written !== 0) return;
      this.#options.log({event: 'cluster-conflict', rendezvous_id: holding.rendezvousId, reason: 'a pair on this node and a pair elsewhere both formed while Redis was away; the other holds the record'});
    });
    this.#track(restored);
  }

  /**
   * Refreshes this node's live key, and checks the records of its waiting
   * connections (a 'paired' notice may have been lost with the node that
   * sent it); a pair's record is only refreshed now and then, its TTL being
   * there to clear records a dead node left. Ends pairs whose peer node is
   * gone. If this node's own live key had expired (a stall longer than half
   * the claim TTL), others may have taken its ids: it starts over as a new
   * instance, as after losing Redis.
   */
  async #beat(): Promise<void> {
    const machine = this.#machine;
    if (!this.#up || this.#recovering || machine === undefined) return;
    const instance = this.#instance;
    const now = Date.now();
    const checked: Array<Holding<C>> = [];
    const remoteNodes = new Set<string>();
    const pipeline = this.#cmd.pipeline();
    pipeline.call('SET', liveKey(instance), '1', 'PX', String(this.#liveTtl()), 'GET');
    for (const holding of machine.holdings()) {
      const remote = remotePeer(holding);
      if (remote !== undefined) remoteNodes.add(remote.node);
      if (!this.#due(holding, now)) continue;
      checked.push(holding);
      this.#pipelineScript(pipeline, 'msTouch')(claimKey(holding.rendezvousId), instance, String(holding.conn.id), RECORD_TTL_MS, LIVE_PREFIX);
    }
    const nodes = [...remoteNodes];
    for (const node of nodes) pipeline.exists(liveKey(node));
    let results: Array<[Error | null, unknown]>;
    try {
      results = (await pipeline.exec()) ?? [];
    } catch {
      return; // the connection's own events report it
    }
    if (!this.#up || this.#instance !== instance) return;
    if (results[0]?.[1] === null) return this.#heldDead();
    checked.forEach((holding, i) => this.#checked(machine, holding, results[i + 1]?.[1] as string[] | undefined));
    const dead = new Set(nodes.filter((_, i) => results[1 + checked.length + i]?.[1] === 0));
    if (dead.size > 0) this.#endPeersOn(machine, (node) => dead.has(node), 'peer node lost');
  }

  /** Waiting records at every beat; a pair's (once per pair on this node) every RECORD_REFRESH_MS. */
  #due(holding: Holding<C>, now: number): boolean {
    if (holding.phase === 'waiting') return true;
    const local = localPeer(holding);
    const last = this.#touched.get(holding.conn) ?? (local === undefined ? undefined : this.#touched.get(local));
    if (last === undefined) {
      // Just paired: the claim set the record's TTL.
      this.#touched.set(holding.conn, now);
      return false;
    }
    if (now - last < RECORD_REFRESH_MS) return false;
    this.#touched.set(holding.conn, now);
    if (local !== undefined) this.#touched.delete(local);
    return true;
  }

  #heldDead(): void {
    this.#down('this node missed its heartbeats for longer than half the claim TTL and was held dead');
    void this.#maybeUp();
  }

  /** Acts on what Redis holds for one of this node's ids, where it differs from what the node knows. */
  #checked(machine: PairingMachine<C>, holding: Holding<C>, record: string[] | undefined): void {
    if (record === undefined) return;
    const remote = remotePeer(holding);
    if (holding.phase === 'waiting') {
      if (record[0] === 'none') machine.reclaim(holding.conn);
      // Paired by another node whose notice has not come (or never will): pair now; a later notice is ignored.
      else if (record[0] === 'p' && record[1] !== this.#instance) machine.remotePaired(holding.conn, holding.rendezvousId, {node: record[1]!, conn: record[2]!});
      return;
    }
    if (record[0] !== 'none') return;
    if (remote !== undefined) machine.remoteEnded(holding.conn, holding.rendezvousId, 'lost');
    else this.#restore(holding);
  }

  #endPeersOn(machine: PairingMachine<C>, lost: (node: string) => boolean, reason: string): void {
    const ended = [...machine.holdings()].filter((holding) => {
      const remote = remotePeer(holding);
      return remote !== undefined && lost(remote.node);
    });
    if (ended.length > 0) this.#options.log({event: 'cluster-peers-ended', count: ended.length, reason});
    for (const holding of ended) machine.remoteEnded(holding.conn, holding.rendezvousId, 'lost');
  }

  #down(reason: string): void {
    const wasUp = this.#up;
    this.#up = false;
    if (this.#closed || !wasUp) return;
    this.#observer?.redisState('down');
    this.#options.log({
      event: 'cluster-down',
      node: this.#options.nodeId,
      reason: `${reason}: pairs on this node go on, pairs across nodes are ended, new pairings are decided on this node alone (pairing across nodes refused) until Redis is back; reconnecting with backoff`,
    });
    const machine = this.#machine;
    if (machine !== undefined) this.#endPeersOn(machine, () => true, 'lost Redis');
  }

  #logError(error: Error): void {
    if (this.#errorLogged || this.#closed) return;
    this.#errorLogged = true;
    this.#options.log({event: 'redis-error', node: this.#options.nodeId, error: error.message});
  }

  /** The live key outlasts two missed heartbeats; peers call a node dead after half the claim TTL. */
  #liveTtl(): number {
    return Math.max(100, Math.floor(this.#options.claimTtlMs / 2));
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined);
    this.#inflight.add(tracked);
    void tracked.finally(() => this.#inflight.delete(tracked));
  }

  #script(name: string): Script {
    return ((this.#cmd as unknown as Record<string, Script>)[name]!).bind(this.#cmd);
  }

  #pipelineScript(pipeline: ChainableCommander, name: string): (...args: Array<string | number>) => void {
    return ((pipeline as unknown as Record<string, (...args: Array<string | number>) => void>)[name]!).bind(pipeline);
  }
}

function newInstance(nodeId: string): string {
  return `${nodeId}~${randomBytes(4).toString('hex')}`;
}

function remotePeer<C>(holding: Holding<C>): RemotePeer | undefined {
  return holding.peer !== undefined && 'remote' in holding.peer ? holding.peer.remote : undefined;
}

function localPeer<C>(holding: Holding<C>): C | undefined {
  return holding.peer !== undefined && 'local' in holding.peer ? holding.peer.local : undefined;
}
