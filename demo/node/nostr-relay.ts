/**
 * A Nostr relay on this machine, for the demo's NWC wallet service and for
 * tests: `@nostr-relay/core` (subscriptions, signature checks, ephemeral
 * events broadcast and never stored, OK/EOSE/CLOSED answers) behind a `ws`
 * server, with messages checked by `@nostr-relay/validator`. Only the storage
 * is ours: events in memory, replaceable ones (like NWC's info event, kind
 * 13194) keeping only the newest per author and kind.
 *
 * Known gap of @nostr-relay/core 0.0.40: live subscriptions ignore tag filters
 * (`#e`, `#p`), so a client may be sent events meant for another request.
 * nostr-tools (inside @getalby/sdk) checks every event against its own filters,
 * so NWC is unaffected; stored queries here do match tags.
 */
import {NostrRelay} from '@nostr-relay/core';
import {EventRepository, EventUtils, EventType, createOutgoingNoticeMessage, type Event, type Filter, type Logger} from '@nostr-relay/common';
import {Validator} from '@nostr-relay/validator';
import {matchFilter, type Filter as ToolsFilter} from 'nostr-tools';
import {WebSocketServer, type WebSocket} from 'ws';

export interface NostrRelayHandle {
  /** ws://host:port */
  url: string;
  port: number;
  /** Events the relay accepted, by kind (ephemeral ones included): what tests read to see traffic. */
  accepted(kind: number): number;
  /** Subscriptions (REQ) that asked for this kind: a test waits for a listener before it publishes. */
  subscribed(kind: number): number;
  close(): Promise<void>;
}

export interface NostrRelayOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/** Enough for a demo's worth of info events; the oldest go first beyond it. */
const MAX_STORED = 10_000;
const MAX_MESSAGE_BYTES = 128 * 1024;

export async function startNostrRelay(options: NostrRelayOptions = {}): Promise<NostrRelayHandle> {
  const host = options.host ?? '127.0.0.1';
  const repository = new MemoryEventRepository();
  // No result caches: a wallet's info event read right after it is published must be the new one.
  const relay = new NostrRelay(repository, {filterResultCacheTtl: 0, eventHandlingResultCacheTtl: 0, logger: quietLogger()});
  const counts = new Map<number, number>();
  const subscriptions = new Map<number, number>();
  relay.register({
    beforeHandleEvent: (event: Event) => {
      counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
      return {canHandle: true};
    },
  });
  const validator = new Validator();
  const server = new WebSocketServer({host, port: options.port ?? 0, maxPayload: MAX_MESSAGE_BYTES});
  server.on('connection', (socket: WebSocket, request) => {
    relay.handleConnection(socket, request.socket.remoteAddress);
    socket.on('message', (data) => void onMessage(relay, validator, socket, data, subscriptions));
    socket.on('close', () => relay.handleDisconnect(socket));
    socket.on('error', () => socket.terminate());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    accepted: (kind) => counts.get(kind) ?? 0,
    subscribed: (kind) => subscriptions.get(kind) ?? 0,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay.destroy();
    },
  };
}

async function onMessage(relay: NostrRelay, validator: Validator, socket: WebSocket, data: unknown, subscriptions: Map<number, number>): Promise<void> {
  try {
    const message = await validator.validateIncomingMessage(String(data));
    await relay.handleMessage(socket, message);
    if (message[0] === 'REQ') {
      const kinds = new Set((message.slice(2) as Filter[]).flatMap((filter) => filter.kinds ?? []));
      for (const kind of kinds) subscriptions.set(kind, (subscriptions.get(kind) ?? 0) + 1);
    }
  } catch (error) {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(createOutgoingNoticeMessage(`invalid: ${error instanceof Error ? error.message : String(error)}`)));
  }
}

/** Stored events in memory; the relay core never hands it ephemeral ones. */
class MemoryEventRepository extends EventRepository {
  readonly #events = new Map<string, Event>();

  isSearchSupported(): boolean {
    return false;
  }

  upsert(event: Event): {isDuplicate: boolean} {
    if (this.#events.has(event.id)) return {isDuplicate: true};
    const type = EventUtils.getType(event.kind);
    if (type === EventType.REPLACEABLE || type === EventType.PARAMETERIZED_REPLACEABLE) {
      const older = this.#sameSlot(event);
      if (older !== undefined && older.created_at > event.created_at) return {isDuplicate: true};
      if (older !== undefined) this.#events.delete(older.id);
    }
    this.#events.set(event.id, event);
    if (this.#events.size > MAX_STORED) this.#events.delete(this.#events.keys().next().value as string);
    return {isDuplicate: false};
  }

  find(filter: Filter): Event[] {
    // nostr-tools' matcher also checks tag filters (#p, #e), which NIP-01 asks of stored queries.
    const found = [...this.#events.values()].filter((event) => matchFilter(filter as ToolsFilter, event));
    found.sort((a, b) => b.created_at - a.created_at);
    return filter.limit === undefined ? found : found.slice(0, filter.limit);
  }

  async destroy(): Promise<void> {
    this.#events.clear();
  }

  #sameSlot(event: Event): Event | undefined {
    const d = EventUtils.extractDTagValue(event);
    for (const stored of this.#events.values()) {
      if (stored.pubkey === event.pubkey && stored.kind === event.kind && EventUtils.extractDTagValue(stored) === d) return stored;
    }
    return undefined;
  }
}

function quietLogger(): Logger {
  const ignore = (): void => undefined;
  return {
    setLogLevel: ignore,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message: string) => process.stderr.write(`nostr relay: ${message}\n`),
  };
}
