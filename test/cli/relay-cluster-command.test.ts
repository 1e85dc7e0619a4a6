/** `moneysocket relay --redis …`: the cluster flags, their checks, and a node that starts without its Redis. */
import {expect} from 'chai';
import {createServer} from 'node:net';
import {main} from '../../src/cli/main.js';
import {RELAY_HELP} from '../../src/cli/relay-command.js';
import {crossPair, health} from '../relay/cluster-helpers.js';
import {Client, expectForwarded, opaque, rendezvousFrame, terminateClients, until} from '../relay/helpers.js';
import {relayProcess, type RelayProcess} from '../relay/operator-helpers.js';
import {SharedSeed} from '../../src/core/seed.js';
import {rendezvousIdOf} from '../../src/core/seed-keys.js';


async function inProcess(...args: string[]): Promise<{code: number; out: string[]; err: string[]}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {out: (l) => out.push(l), err: (l) => err.push(l)});
  return {code, out, err};
}

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });
}

describe('moneysocket relay: cluster flags', function () {
  this.timeout(30000);
  let child: RelayProcess | undefined;

  afterEach(async () => {
    terminateClients();
    await child?.stop();
    child = undefined;
  });

  it('documents --redis, --node-id and --claim-ttl-ms in --help', () => {
    for (const flag of ['--redis <url>', '--node-id <name>', '--claim-ttl-ms <n>']) expect(RELAY_HELP).to.contain(flag);
  });

  for (const args of [
    ['--node-id', 'a'],
    ['--claim-ttl-ms', '1000'],
    ['--redis', 'http://127.0.0.1:6379'],
    ['--redis', 'not a url'],
    ['--redis', 'redis://127.0.0.1:1', '--claim-ttl-ms', '10'],
    ['--redis', 'redis://127.0.0.1:1', '--node-id', 'two words'],
  ]) {
    it(`exits 1 with one error line for ${args.join(' ')}`, async () => {
      const {code, out, err} = await inProcess('relay', '--port', '0', ...args);
      expect(code).to.equal(1);
      expect(out).to.deep.equal([]);
      expect(err).to.have.length(1);
      expect(err[0]).to.match(/^error (INVALID_ARGUMENT|USAGE): /);
    });
  }

  it('serves without its Redis: says so in the log and on /healthz, pairs clients of this node, keeps others waiting', async () => {
    const port = await closedPort();
    child = await relayProcess(['--redis', `redis://127.0.0.1:${port}`, '--node-id', 'lonely', '--claim-ttl-ms', '500']);
    const url = child.url;
    const h = await health(url);
    expect(h.status).to.equal('degraded');
    expect(h.cluster).to.include({node: 'lonely', redis: 'down'});
    const {a, b} = await crossPair(url, url);
    await expectForwarded(a, b, opaque(30));
    const alone = await Client.open(url);
    const rid = rendezvousIdOf(SharedSeed.generate());
    alone.send(rendezvousFrame(rid).frame);
    await alone.notification('NOTIFY_RENDEZVOUS_NOT_READY');
    await until(() => child!.logs().some((e) => e['event'] === 'cluster-local'), 'the local-only line');
    const logs = child.logs();
    expect(logs.find((e) => e['event'] === 'cluster-down')?.['reason']).to.match(/Redis not reachable/);
    expect(logs.find((e) => e['event'] === 'cluster-local' && e['rendezvous_id'] === rid)?.['reason']).to.match(/pairing across nodes is refused until Redis is back/);
    expect(logs.some((e) => e['event'] === 'redis-error')).to.equal(true);
  });
});
