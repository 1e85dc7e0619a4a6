/**
 * The README's money promises as properties: fast-check generates
 * interleavings of payments, wallet behaviours (paid, refused, failed,
 * unknown, wrong or re-encoded preimage, slow, hung), cut links, dropped,
 * duplicated and replayed frames and permission changes, runs real stacks
 * through the in-memory relay under a fake clock, and checks:
 *
 * 1. every request ends exactly once;
 * 2. the wallet is asked to pay a payment hash again only after a definite refusal;
 * 3. a preimage reaches the app only if it hashes to the invoice's payment hash;
 * 4. an invoice whose attempt ended in anything but a definite refusal is never sent again;
 * 5. a refused request (no permission) never reaches the wallet.
 */
import {expect} from 'chai';
import fc from 'fast-check';
import {base64} from '@scure/base';
import {fromHex} from '../../../src/core/bytes.js';
import {MoneysocketError} from '../../../src/core/errors.js';
import {hashOfPreimage} from '../../../src/core/preimage.js';
import {bitcoinWad} from '../../../src/core/wad.js';
import type {MemorySocket} from '../../support/memory-relay.js';
import {decodeSent, memoryWorld, messageNameOf, settle, withFakeClock, type MemoryWorld} from './memory-world.js';

type Behaviour = 'pay' | 'pay-base64' | 'pay-upper' | 'refuse' | 'fail' | 'unknown' | 'wrong' | 'slow' | 'hang';

type Action =
  | {kind: 'pay'; invoice: number}
  | {kind: 'tick'; ms: number}
  | {kind: 'cut'}
  | {kind: 'outage'; ms: number}
  | {kind: 'drop'; count: number}
  | {kind: 'duplicate'}
  | {kind: 'replay'; index: number}
  | {kind: 'payer'; allowed: boolean};

const behaviour = fc.constantFrom<Behaviour>('pay', 'pay-base64', 'pay-upper', 'refuse', 'fail', 'unknown', 'wrong', 'slow', 'hang');
const action: fc.Arbitrary<Action> = fc.oneof(
  {weight: 5, arbitrary: fc.record({kind: fc.constant('pay' as const), invoice: fc.nat(3)})},
  {weight: 4, arbitrary: fc.record({kind: fc.constant('tick' as const), ms: fc.integer({min: 1, max: 20_000})})},
  {weight: 1, arbitrary: fc.constant({kind: 'cut' as const})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('outage' as const), ms: fc.integer({min: 10, max: 30_000})})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('drop' as const), count: fc.integer({min: 1, max: 3})})},
  {weight: 1, arbitrary: fc.constant({kind: 'duplicate' as const})},
  {weight: 2, arbitrary: fc.record({kind: fc.constant('replay' as const), index: fc.nat(50)})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('payer' as const), allowed: fc.boolean()})},
);

interface Attempt {
  hash: string;
  ended: number;
  code?: string;
  preimage?: string;
}

interface Run {
  w: MemoryWorld;
  bills: {bolt11: string; paymentHash: string; preimage: string}[];
  attempts: Attempt[];
  /** Per payment hash, how each call of the wallet ended, in order. */
  walletCalls: Map<string, Behaviour[]>;
  payerAllowed: boolean;
  callsWithoutPermission: number;
  preimagesToApp: {hash: string; preimage: string}[];
}

async function setUp(behaviours: Behaviour[]): Promise<Run> {
  const run = {} as Run;
  let next = 0;
  const w = await memoryWorld({
    provider: {
      backoff: {initialMs: 50, maxMs: 2000},
      handlePayRequest: async ({bolt11, invoice}) => {
        const chosen = behaviours[next++ % behaviours.length]!;
        const calls = run.walletCalls.get(invoice.paymentHash) ?? [];
        calls.push(chosen);
        run.walletCalls.set(invoice.paymentHash, calls);
        if (!run.payerAllowed) run.callsWithoutPermission++;
        return wallet(run, chosen, bolt11);
      },
    },
    consumer: {backoff: {initialMs: 50, maxMs: 2000}},
  });
  const bills = await Promise.all([1000, 2000, 3000, 4000].map((msats) => w.merchant.createInvoice(msats)));
  Object.assign(run, {w, bills, attempts: [], walletCalls: new Map(), payerAllowed: true, callsWithoutPermission: 0, preimagesToApp: []});
  w.consumer.on('preimage', ({preimage, bolt11}) => run.preimagesToApp.push({hash: bills.find((b) => b.bolt11 === bolt11)!.paymentHash, preimage}));
  return run;
}

/** What the wallet does for one call. */
async function wallet(run: Run, chosen: Behaviour, bolt11: string): Promise<unknown> {
  const bill = run.bills.find((b) => b.bolt11 === bolt11)!;
  const bytes = fromHex(bill.preimage);
  if (!bytes.ok) throw bytes.error;
  switch (chosen) {
    case 'pay':
      return bill.preimage;
    case 'pay-base64':
      return base64.encode(bytes.value);
    case 'pay-upper':
      return bill.preimage.toUpperCase();
    case 'refuse':
      throw new MoneysocketError('REQUEST_REFUSED', 'not now');
    case 'fail':
      throw new Error('route failed');
    case 'unknown':
      throw new MoneysocketError('PAYMENT_OUTCOME_UNKNOWN', 'node restarted');
    case 'wrong':
      return 'ee'.repeat(32);
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      return bill.preimage;
    case 'hang':
      return new Promise(() => undefined);
  }
}

async function play(run: Run, actions: Action[], tick: (ms: number) => Promise<unknown>): Promise<void> {
  const {w} = run;
  let pendingFault: {drop: number; duplicate: boolean} = {drop: 0, duplicate: false};
  w.relay.fault = () => {
    if (pendingFault.drop > 0) {
      pendingFault.drop--;
      return 0;
    }
    if (pendingFault.duplicate) {
      pendingFault.duplicate = false;
      return 2;
    }
    return 1;
  };
  for (const a of actions) {
    if (a.kind === 'pay') {
      const bill = run.bills[a.invoice]!;
      const attempt: Attempt = {hash: bill.paymentHash, ended: 0};
      run.attempts.push(attempt);
      w.consumer.requestPay(bill.bolt11).then(
        (preimage) => {
          attempt.ended++;
          attempt.preimage = preimage;
          run.preimagesToApp.push({hash: bill.paymentHash, preimage});
        },
        (error: MoneysocketError) => {
          attempt.ended++;
          attempt.code = error.code;
        },
      );
    } else if (a.kind === 'tick') await tick(a.ms);
    else if (a.kind === 'cut') w.relay.cutAll();
    else if (a.kind === 'outage') {
      w.relay.down = true;
      w.relay.cutAll();
      await tick(a.ms);
      w.relay.down = false;
    } else if (a.kind === 'drop') pendingFault = {...pendingFault, drop: a.count};
    else if (a.kind === 'duplicate') pendingFault = {...pendingFault, duplicate: true};
    else if (a.kind === 'replay') replay(run, a.index);
    else {
      run.payerAllowed = a.allowed;
      w.provider.setProviderInfo({payer: a.allowed, payee: true, wad: bitcoinWad(1_000_000)});
    }
    await settle();
  }
  // The end: the relay stays up and faults stop, long enough for every timer and every redelivery.
  w.relay.fault = undefined;
  w.relay.down = false;
  for (let i = 0; i < 8; i++) await tick(20_000);
}

/** A frame the consumer sent earlier arrives again, from its current socket (a recording relay). */
function replay(run: Run, index: number): void {
  const {w} = run;
  const sent = w.relay.sent.filter(({from}) => from !== providerSocketOf(w));
  const live = [...w.relay.sockets].find((s) => s !== providerSocketOf(w));
  if (sent.length === 0 || live === undefined) return;
  w.relay.replay(sent[index % sent.length]!.frame, live);
}

function providerSocketOf(w: MemoryWorld): MemorySocket | undefined {
  // The provider's frames are the ones whose rendezvous came first on each link; the
  // consumer sends REQUEST_PROVIDER, which the provider never does.
  const consumerSockets = new Set(w.relay.sent.filter(({frame}) => messageNameOf(w, frame) === 'REQUEST_PROVIDER').map(({from}) => from));
  return [...w.relay.sockets].find((s) => !consumerSockets.has(s));
}

function check(run: Run): void {
  // 1. Every request ended, exactly once.
  for (const attempt of run.attempts) expect(attempt.ended).to.equal(1, `a pay request for ${attempt.hash.slice(0, 8)} ended ${attempt.ended} times`);
  // 2. The wallet is asked again for a hash only after a definite refusal.
  for (const [hash, calls] of run.walletCalls) {
    expect(calls.slice(0, -1).every((c) => c === 'refuse')).to.equal(true, `wallet calls for ${hash.slice(0, 8)}: ${calls.join(', ')}`);
  }
  // 3. Every preimage the app saw pays its invoice.
  for (const {hash, preimage} of run.preimagesToApp) expect(hashOfPreimage(preimage)).to.equal(hash);
  // 4. After an ending that is not a definite refusal, the consumer never sends that invoice again.
  for (const bill of run.bills) {
    const sends = run.w.relay.sent.filter(({frame}) => frameCarries(run, frame, bill.bolt11)).length;
    const freeing = run.attempts.filter((a) => a.hash === bill.paymentHash && (a.code === 'REQUEST_REFUSED')).length;
    expect(sends).to.be.at.most(1 + freeing, `REQUEST_PAY sent ${sends} times for ${bill.paymentHash.slice(0, 8)}`);
  }
  // 5. Nothing reached the wallet while paying was not allowed.
  expect(run.callsWithoutPermission).to.equal(0);
}

/** Whether a frame is a REQUEST_PAY for this invoice (the test holds the seed, so it can look inside). */
function frameCarries(run: Run, frame: Uint8Array, bolt11: string): boolean {
  const message = decodeSent(run.w, frame) as {request_name?: string; bolt11?: string} | undefined;
  return message?.request_name === 'REQUEST_PAY' && message.bolt11 === bolt11;
}

describe('money properties over generated interleavings', function () {
  this.timeout(120_000);

  it('holds the five money rules through faults, replays and wallet misbehaviour', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(behaviour, {minLength: 1, maxLength: 8}), fc.array(action, {minLength: 3, maxLength: 25}), async (behaviours, actions) =>
        withFakeClock(async (clock) => {
          const run = await setUp(behaviours);
          try {
            await play(run, actions, (ms) => clock.tickAsync(ms));
            check(run);
          } finally {
            await run.w.close();
            await clock.tickAsync(1000);
          }
        }),
      ),
      {numRuns: 60, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false},
    );
  });
});
