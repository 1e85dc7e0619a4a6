/**
 * The rendezvous machine's cluster paths, each pinned by what a client or an
 * operator sees (issue 12: the mutants that survived in src/relay/pairing.ts).
 * A scripted backend answers claims only when told, or fails them, and holds
 * peers on another node; nothing here waits on a clock.
 */
import {expect} from 'chai';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import type {ClaimAnswer, PairingBackend, PairingMachine, RemotePeer} from '../../src/relay/pairing-backend.js';
import {ciphertext, pairingWith, RecordingConn as Conn, rendezvousFrame, type PairingSetup} from './pairing-fakes.js';

interface Claim {
  conn: Conn;
  rendezvousId: string;
  resolve(answer: ClaimAnswer<Conn>): void;
  reject(error: Error): void;
}

/** A cluster backend whose claims wait until the test answers (or fails) them, oldest first. */
class ScriptedBackend implements PairingBackend<Conn> {
  machine!: PairingMachine<Conn>;
  readonly claims: Claim[] = [];
  readonly released: string[] = [];
  readonly forwarded: string[] = [];
  bind(machine: PairingMachine<Conn>): void {
    this.machine = machine;
  }
  claim(conn: Conn, rendezvousId: string): Promise<ClaimAnswer<Conn>> {
    return new Promise((resolve, reject) => this.claims.push({conn, rendezvousId, resolve, reject}));
  }
  announce(): void {}
  release(conn: Conn, rendezvousId: string): void {
    this.released.push(`${conn.id}:${rendezvousId === rid ? 'rid' : rendezvousId}`);
  }
  forward(peer: RemotePeer, frame: Uint8Array): void {
    this.forwarded.push(`${peer.node}/${peer.conn}:${frame.length}`);
  }
  /** Settles the oldest claim, which must be `conn`'s, and lets the machine see the outcome. */
  async answer(conn: Conn, answer: ClaimAnswer<Conn> | Error): Promise<void> {
    const claim = this.claims.shift();
    expect(claim?.conn, 'the oldest open claim').to.equal(conn);
    if (answer instanceof Error) claim!.reject(answer);
    else claim!.resolve(answer);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const rid = rendezvousIdOf(SharedSeed.generate());
const otherRid = rendezvousIdOf(SharedSeed.generate());
const remote: RemotePeer = {node: 'node-b~1', conn: '7'};

const rendezvous = (id = rid): Uint8Array => rendezvousFrame(id);
const setup = pairingWith;

function scripted(): PairingSetup & {backend: ScriptedBackend} {
  const backend = new ScriptedBackend();
  return {...setup(backend), backend};
}

/** `id` asked for `rendezvousId` and was told to wait. */
async function waiting(s: ReturnType<typeof scripted>, id: string, rendezvousId = rid): Promise<Conn> {
  const c = s.conn(id);
  s.pairing.receive(c, rendezvous(rendezvousId), true);
  await s.backend.answer(c, {kind: 'wait'});
  expect(c.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
  return c;
}

/** `id` asked for `rendezvousId` and was paired with `peer`, a waiter on another node. */
async function pairedRemote(s: ReturnType<typeof scripted>, id: string, rendezvousId = rid, peer = remote): Promise<Conn> {
  const c = s.conn(id);
  s.pairing.receive(c, rendezvous(rendezvousId), true);
  await s.backend.answer(c, {kind: 'pair-remote', peer});
  expect(c.seen).to.deep.equal(['NOTIFY_RENDEZVOUS']);
  return c;
}

describe('rendezvous machine: claims in flight', () => {
  it('closeIfUnpaired closes a connection whose claim is unanswered on a waiting timeout, not on an idle one', () => {
    const {pairing, backend, conn} = scripted();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    expect(pairing.closeIfUnpaired(a, 'idle-timeout', false)).to.equal(false);
    expect(a.seen).to.deep.equal([]);
    expect(pairing.closeIfUnpaired(a, 'waiting-timeout')).to.equal(true);
    expect(a.seen).to.deep.equal(['close:waiting-timeout']);
    expect(backend.released).to.deep.equal(['a:rid']);
  });

  it('falls back to this node\'s own answer when the backend fails a claim, and logs the failure', async () => {
    const {pairing, backend, events, conn} = scripted();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    await backend.answer(a, new Error('NOSCRIPT No matching script'));
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
    expect(events.slice(1, 3)).to.deep.equal([
      {event: 'rejected', conn: 'a', rendezvous_id: rid, reason: 'pairing backend failed: Error: NOSCRIPT No matching script'},
      {event: 'waiting', conn: 'a', rendezvous_id: rid},
    ]);
    const b = conn('b');
    pairing.receive(b, rendezvous(), true);
    await backend.answer(b, new Error('Connection is closed.'));
    expect([a.seen, b.seen]).to.deep.equal([['NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS'], ['NOTIFY_RENDEZVOUS']]);
  });

  it('asks the backend three times at most when each answer names a waiter already gone, then refuses the id as in use', async () => {
    const {pairing, backend, events, conn} = scripted();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(backend.claims.map((c) => c.conn.id), `claim ${attempt}`).to.deep.equal(['a']);
      await backend.answer(a, {kind: 'pair', waiter: undefined});
    }
    expect(backend.claims).to.deep.equal([]);
    expect(a.seen).to.deep.equal(['close:rendezvous-in-use']);
    expect(events.at(-1)).to.deep.equal({event: 'rejected', conn: 'a', rendezvous_id: rid, reason: 'rendezvous id in use'});
  });

  it('never pairs across ids: a waiter the backend names for another id is not taken, and the id is asked again', async () => {
    const s = scripted();
    const w = await waiting(s, 'w', otherRid);
    const a = s.conn('a');
    s.pairing.receive(a, rendezvous(), true);
    await s.backend.answer(a, {kind: 'pair', waiter: w});
    expect([w.seen, a.seen]).to.deep.equal([['NOTIFY_RENDEZVOUS_NOT_READY'], []]);
    expect(s.backend.claims.map((c) => `${c.conn.id}:${c.rendezvousId === rid}`)).to.deep.equal(['a:true']);
  });

  it('ignores a late answer to the claim a connection made before it left, once it is back and asks for another id', async () => {
    const {pairing, backend, conn} = scripted();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    pairing.disconnect(a);
    pairing.connect(a);
    pairing.receive(a, rendezvous(otherRid), true);
    await backend.answer(a, {kind: 'in-use'});
    expect(a.seen).to.deep.equal([]);
    await backend.answer(a, {kind: 'wait'});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
  });
});

describe('rendezvous machine: the local answer (no shared store)', () => {
  it('logs nothing when a backend asks for it', async () => {
    const s = scripted();
    const a = await waiting(s, 'a');
    const b = s.conn('b');
    s.events.length = 0;
    expect(s.pairing.localAnswer(b, rid)).to.deep.equal({kind: 'pair', waiter: a});
    expect(s.events).to.deep.equal([]);
  });

  it('counts only the connections that hold the same id', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(otherRid), true);
    const thirdRid = rendezvousIdOf(SharedSeed.generate());
    const [b, c] = [conn('b'), conn('c')];
    pairing.receive(b, rendezvous(thirdRid), true);
    pairing.receive(c, rendezvous(thirdRid), true);
    expect([pairing.isWaiting(a), pairing.isPaired(b), pairing.isPaired(c)]).to.deep.equal([true, true, true]);
    expect(pairing.localAnswer(conn('d'), rid)).to.deep.equal({kind: 'wait'});
  });

  it('never names the asking connection as its own waiter', () => {
    const {pairing, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    expect(pairing.localAnswer(a, rid)).to.deep.equal({kind: 'wait'});
  });

  it('does not take a connection whose own claim is still unanswered for a waiter', () => {
    const {pairing, backend, conn} = scripted();
    const b = conn('b');
    pairing.receive(b, rendezvous(), true);
    expect(backend.claims).to.have.length(1);
    expect(pairing.localAnswer(conn('c'), rid)).to.deep.equal({kind: 'wait'});
  });
});

describe('rendezvous machine: notices from other nodes', () => {
  it('a waiting connection paired from another node hears NOTIFY_RENDEZVOUS once, logged with the remote peer, and its frames go there', async () => {
    const s = scripted();
    const a = await waiting(s, 'a');
    s.events.length = 0;
    s.pairing.remotePaired(a, rid, remote);
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS']);
    expect(s.events).to.deep.equal([{event: 'paired', conn: 'a', peer: 'node-b~1/7', rendezvous_id: rid}]);
    s.pairing.receive(a, ciphertext, true);
    expect(s.backend.forwarded).to.deep.equal(['node-b~1/7:48']);
  });

  it('a connection asking again after the store lost its record, paired meanwhile from another node, hears no second NOT_READY', async () => {
    const s = scripted();
    const a = await waiting(s, 'a');
    s.pairing.reclaim(a);
    expect(s.backend.claims).to.have.length(1);
    s.pairing.remotePaired(a, rid, remote);
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS']);
    expect(s.pairing.isPaired(a)).to.equal(true);
  });

  it('ignores a pairing notice for another id', async () => {
    const s = scripted();
    const a = await waiting(s, 'a');
    s.pairing.remotePaired(a, otherRid, remote);
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
    expect(s.pairing.isWaiting(a)).to.equal(true);
  });

  it('ignores an end notice for another id', async () => {
    const s = scripted();
    const a = await pairedRemote(s, 'a');
    s.pairing.remoteEnded(a, otherRid, 'lost');
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS']);
    expect(s.pairing.isPaired(a)).to.equal(true);
  });

  it('ignores an end notice from a connection of the same number on another node', async () => {
    const s = scripted();
    const a = await pairedRemote(s, 'a');
    s.pairing.remoteEnded(a, rid, {left: {node: 'node-c~1', conn: remote.conn}});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS']);
    expect(s.pairing.isPaired(a)).to.equal(true);
  });

  it('logs "peer node lost" when the peer\'s node is gone, and no reason when the peer left', async () => {
    const s = scripted();
    const a = await pairedRemote(s, 'a');
    const other: RemotePeer = {node: 'node-c~2', conn: '9'};
    const b = await pairedRemote(s, 'b', otherRid, other);
    s.events.length = 0;
    s.pairing.remoteEnded(a, rid, 'lost');
    s.pairing.remoteEnded(b, otherRid, {left: other});
    expect(s.events).to.deep.equal([
      {event: 'ended', conn: 'a', peer: 'node-b~1/7', rendezvous_id: rid, reason: 'peer node lost'},
      {event: 'ended', conn: 'b', peer: 'node-c~2/9', rendezvous_id: otherRid},
    ]);
    expect([a.seen, b.seen]).to.deep.equal([
      ['NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS_END', 'close:peer-left'],
      ['NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS_END', 'close:peer-left'],
    ]);
  });

  it('passes frames from another node only to a connection paired with a peer there', async () => {
    const s = scripted();
    const w = await waiting(s, 'w');
    s.pairing.remoteFrame(w, ciphertext);
    const local = setup();
    const [b, c] = [local.conn('b'), local.conn('c')];
    local.pairing.receive(b, rendezvous(), true);
    local.pairing.receive(c, rendezvous(), true);
    local.pairing.remoteFrame(b, ciphertext);
    expect([w.seen, b.seen]).to.deep.equal([['NOTIFY_RENDEZVOUS_NOT_READY'], ['NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS']]);
  });
});
