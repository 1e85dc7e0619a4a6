// Survivors of the mutation run over provider-layers.ts (issue 12): the
// PROVIDER and PROVIDER_TRANSACT layers on their own, on a fake context and
// a fake clock, so liveness edges are hit to the millisecond.
import {expect} from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {createRequest} from '../../../src/core/message-types.js';
import {ProviderLayer, ProviderTransactLayer} from '../../../src/core/stack/provider-layers.js';
import {messageName, recordingContext} from './recording-context.js';

type Clock = ReturnType<typeof FakeTimers.install>;

const FIELDS = {account_uuid: '00000000-0000-4000-8000-000000000000', payer: true, payee: true, wad: null};

function provider(livenessTimeoutMs = 200) {
  const host = {fieldsAsked: 0, announced: 0};
  const layer = new ProviderLayer({
    providerFields: () => (host.fieldsAsked++, FIELDS),
    livenessTimeoutMs,
    waiting: () => undefined,
    announced: () => void host.announced++,
  });
  const {context, log} = recordingContext();
  return {layer, context, log, host};
}

const ping = () => createRequest('REQUEST_PING', {});
const requestProvider = () => createRequest('REQUEST_PROVIDER', {});
const invoice = () => createRequest('REQUEST_INVOICE', {msats: 1000});

describe('provider layers survivors, killed', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = FakeTimers.install({now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
  });
  afterEach(() => clock.uninstall());

  // :20 and :128 (the names → ""): the layers are named as both reference libraries name them.
  it('names its layers PROVIDER and PROVIDER_TRANSACT', () => {
    expect(provider().layer.name).to.equal('PROVIDER');
    expect(new ProviderTransactLayer({invoiceRequest: () => undefined, payRequest: () => undefined}).name).to.equal('PROVIDER_TRANSACT');
  });

  // :45 (→ false, `return false` → true), :60 (detach → {}): unattached or detached, it handles nothing and answers no ping.
  it('handles nothing before it is attached or once detached', () => {
    const {layer, context, log} = provider();
    expect(layer.handle(ping())).to.equal(false);
    layer.attach(context);
    layer.detach();
    expect(layer.handle(ping())).to.equal(false);
    expect(log.sent).to.deep.equal([]);
  });

  // :60 (detach → {}): the liveness check stops with the connection.
  it('stops watching the consumer once detached', () => {
    const {layer, context, log} = provider();
    layer.attach(context);
    layer.handle(ping());
    layer.detach();
    clock.tick(1000);
    expect(log.closes).to.deep.equal([]);
  });

  // :46 (→ false, `!==` → `===`): after the first ping, any message counts as hearing from the consumer.
  it('counts any message after the first ping as a sign of life', () => {
    const {layer, context, log} = provider();
    layer.attach(context);
    layer.handle(ping());
    for (let i = 0; i < 4; i++) {
      clock.tick(150);
      layer.handle(invoice());
    }
    expect(log.closes).to.deep.equal([]);
    layer.detach();
  });

  // :77 (`<=` → `<`): silence of exactly the timeout is not yet a timeout.
  it('closes only once silence exceeds the liveness timeout', () => {
    const {layer, context, log} = provider();
    layer.attach(context);
    layer.handle(ping());
    clock.tick(200);
    expect(log.closes).to.deep.equal([]);
    clock.tick(50);
    expect(log.closes).to.deep.equal(['liveness-timeout']);
    layer.detach();
  });

  // :71 (→ false, `timeout > 0` → true or `>=`, and its `||` → `&&`): a timeout of 0 never closes.
  it('never closes for silence when its liveness timeout is 0', () => {
    const {layer, context, log} = provider(0);
    layer.attach(context);
    layer.handle(ping());
    clock.tick(10_000);
    expect(log.closes).to.deep.equal([]);
    layer.detach();
  });

  // :71 (`this.#liveness !== undefined` → false, its `||` → `&&`): every ping shares one liveness check.
  it('closes once, not once per ping, when the consumer falls silent', () => {
    const {layer, context, log} = provider();
    layer.attach(context);
    layer.handle(ping());
    clock.tick(10);
    layer.handle(ping());
    clock.tick(250); // the one check runs at 250 ms after the first ping (first close), then at 300
    expect(log.closes).to.deep.equal(['liveness-timeout']);
    layer.detach();
  });

  // :84 (→ false): once detached, pushing info does not even ask the application for it.
  it('ignores pushInfo once detached', () => {
    const {layer, context, host} = provider();
    layer.attach(context);
    layer.handle(requestProvider());
    layer.detach();
    const asked = host.fieldsAsked;
    layer.pushInfo();
    expect(host.fieldsAsked).to.equal(asked);
  });

  // :109 (→ true): a second REQUEST_PROVIDER is answered, but announces nothing again.
  it('announces once however often the consumer asks for the provider', () => {
    const {layer, context, log, host} = provider();
    layer.attach(context);
    layer.handle(requestProvider());
    layer.handle(requestProvider());
    expect(log.sent.map(messageName)).to.deep.equal(['NOTIFY_PROVIDER', 'NOTIFY_PROVIDER']);
    expect(log.announces).to.equal(1);
    expect(host.announced).to.equal(1);
    layer.detach();
  });

  // :143 (→ false, `return false` → true): PROVIDER_TRANSACT passes nothing to its host unless attached.
  it('PROVIDER_TRANSACT handles nothing before it is attached or once detached', () => {
    const seen: string[] = [];
    const layer = new ProviderTransactLayer({invoiceRequest: () => void seen.push('invoice'), payRequest: () => void seen.push('pay')});
    expect(layer.handle(invoice())).to.equal(false);
    layer.attach(recordingContext().context);
    layer.detach();
    expect(layer.handle(invoice())).to.equal(false);
    expect(seen).to.deep.equal([]);
  });
});
