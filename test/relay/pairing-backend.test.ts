/**
 * The rendezvous machine on a backend that answers later and holds peers on
 * other nodes (as the Redis backend does), driven by a scripted fake: the
 * orders of events a cluster can produce, each checked for what the
 * clients see.
 */
import {expect} from 'chai';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';
import type {ClaimAnswer, PairingBackend, PairingMachine, RemotePeer} from '../../src/relay/pairing-backend.js';
import {ciphertext, pairingWith, RecordingConn as Conn, rendezvousFrame, type PairingSetup} from './pairing-fakes.js';

/** Answers claims when told to; records what the machine asks of it. */
class ScriptedBackend implements PairingBackend<Conn> {
  machine!: PairingMachine<Conn>;
  readonly pending: Array<{conn: Conn; resolve: (answer: ClaimAnswer<Conn>) => void}> = [];
  readonly released: string[] = [];
  readonly announced: string[] = [];
  readonly forwarded: Array<{to: string; bytes: number}> = [];
  bind(machine: PairingMachine<Conn>): void {
    this.machine = machine;
  }
  claim(conn: Conn): Promise<ClaimAnswer<Conn>> {
    return new Promise((resolve) => this.pending.push({conn, resolve}));
  }
  announce(conn: Conn, _rid: string, peer: RemotePeer): void {
    this.announced.push(`${conn.id}->${peer.node}/${peer.conn}`);
  }
  release(conn: Conn): void {
    this.released.push(conn.id);
  }
  forward(peer: RemotePeer, frame: Uint8Array): void {
    this.forwarded.push({to: `${peer.node}/${peer.conn}`, bytes: frame.length});
  }
  /** Answers the oldest claim. */
  async answer(answer: ClaimAnswer<Conn>): Promise<void> {
    this.pending.shift()!.resolve(answer);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

const rid = rendezvousIdOf(SharedSeed.generate());
const remote: RemotePeer = {node: 'node-b~1', conn: '7'};

const rendezvous = (): Uint8Array => rendezvousFrame(rid);

function setup(): PairingSetup & {backend: ScriptedBackend} {
  const backend = new ScriptedBackend();
  return {...pairingWith(backend), backend};
}

describe('rendezvous machine on a cluster backend', () => {
  it('waits for the answer: nothing is sent, frames are dropped, a repeat closes', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    pairing.receive(a, ciphertext, true);
    expect(a.seen).to.deep.equal([]);
    expect(pairing.isWaiting(a)).to.equal(false);
    await backend.answer({kind: 'wait'});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
    expect(pairing.stats()).to.deep.equal({connections: 1, waiting: 1, pairs: 0});
    const b = conn('b');
    pairing.receive(b, rendezvous(), true);
    pairing.receive(b, rendezvous(), true); // again, before the first is answered
    expect(b.seen).to.deep.equal(['close:repeated-rendezvous']);
    expect(backend.released).to.deep.equal(['b']);
  });

  it('pairs with a peer on another node: RENDEZVOUS here, then the waiter\'s node is told; frames go through the backend', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    await backend.answer({kind: 'pair-remote', peer: remote});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS']);
    expect(backend.announced).to.deep.equal([`a->${remote.node}/${remote.conn}`]);
    pairing.receive(a, ciphertext, true);
    expect(backend.forwarded).to.deep.equal([{to: `${remote.node}/${remote.conn}`, bytes: 48}]);
    pairing.remoteFrame(a, new Uint8Array(20).fill(0xff));
    expect(a.seen.at(-1)).to.equal('frame:20');
    expect(pairing.stats().pairs).to.equal(1);
  });

  it('hears NOT_READY then RENDEZVOUS when the remote pairing overtakes its own answer', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    pairing.remotePaired(a, rid, remote);
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY', 'NOTIFY_RENDEZVOUS']);
    await backend.answer({kind: 'wait'}); // late, and ignored
    expect(a.seen).to.have.length(2);
    expect(pairing.isPaired(a)).to.equal(true);
  });

  it('ends a remote pair on the peer\'s notice only: a stale notice from another peer is ignored', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    await backend.answer({kind: 'pair-remote', peer: remote});
    pairing.remoteEnded(a, rid, {left: {node: remote.node, conn: '8'}});
    expect(pairing.isPaired(a)).to.equal(true);
    pairing.remoteEnded(a, rid, {left: remote});
    expect(a.seen.slice(-2)).to.deep.equal(['NOTIFY_RENDEZVOUS_END', 'close:peer-left']);
    expect(backend.released).to.deep.equal(['a']);
    pairing.disconnect(a);
    expect(backend.released).to.deep.equal(['a']); // not twice
  });

  it('keeps an end that comes before its own answer, and applies it after', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    pairing.remoteEnded(a, rid, {left: remote});
    expect(a.seen).to.deep.equal([]);
    await backend.answer({kind: 'pair-remote', peer: remote});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS', 'NOTIFY_RENDEZVOUS_END', 'close:peer-left']);
  });

  it('asks again, quietly, when a waiter that paired and lost its remote peer never heard of it', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    await backend.answer({kind: 'wait'});
    pairing.remoteEnded(a, rid, {left: remote});
    expect(backend.pending).to.have.length(1);
    await backend.answer({kind: 'wait'});
    expect(a.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']); // no second NOT_READY
    expect(pairing.isWaiting(a)).to.equal(true);
  });

  it('asks again when the local waiter it was paired with has just left', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    const b = conn('b');
    pairing.receive(a, rendezvous(), true);
    await backend.answer({kind: 'wait'});
    pairing.receive(b, rendezvous(), true);
    pairing.disconnect(a);
    await backend.answer({kind: 'pair', waiter: a});
    expect(backend.pending).to.have.length(1);
    await backend.answer({kind: 'wait'});
    expect(b.seen).to.deep.equal(['NOTIFY_RENDEZVOUS_NOT_READY']);
  });

  it('releases a connection that leaves before its answer, and ignores the answer', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    pairing.receive(a, rendezvous(), true);
    pairing.disconnect(a);
    expect(backend.released).to.deep.equal(['a']);
    await backend.answer({kind: 'pair-remote', peer: remote});
    expect(a.seen).to.deep.equal([]);
    expect(backend.announced).to.deep.equal([]);
  });

  it('decides alone from its own connections when asked to (no shared store)', async () => {
    const {pairing, backend, conn} = setup();
    const a = conn('a');
    const b = conn('b');
    const c = conn('c');
    expect(pairing.localAnswer(a, rid)).to.deep.equal({kind: 'wait'});
    pairing.receive(a, rendezvous(), true);
    await backend.answer({kind: 'wait'});
    expect(pairing.localAnswer(b, rid)).to.deep.equal({kind: 'pair', waiter: a});
    pairing.receive(b, rendezvous(), true);
    await backend.answer({kind: 'pair', waiter: a});
    expect(pairing.localAnswer(c, rid)).to.deep.equal({kind: 'in-use'});
    expect([...pairing.holdings()].map((h) => `${h.conn.id}:${h.phase}`)).to.deep.equal(['a:paired', 'b:paired']);
  });
});
