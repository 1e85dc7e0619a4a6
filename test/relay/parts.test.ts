/** The relay's small parts, without sockets: frame reading, addresses, descriptor limits, log aggregation. */
import {expect} from 'chai';
import fc from 'fast-check';
import type {IncomingMessage} from 'node:http';
import {classifyFrame} from '../../src/core/frame.js';
import {utf8Encode} from '../../src/core/bytes.js';
import {addressKey, clientAddress, normalizeAddress, trustedProxies} from '../../src/relay/address.js';
import {Budget} from '../../src/relay/budget.js';
import {connectionsForDescriptors, descriptorLimit, parseProcLimits} from '../../src/relay/descriptors.js';
import {LogAggregator} from '../../src/relay/log-aggregator.js';
import {mayBeJson, readRelayFrame} from '../../src/relay/relay-frame.js';

const limits = {maxFrameBytes: 64 * 1024, maxClearFrameBytes: 2048};

describe('relay frame reading', () => {
  it('calls a frame ciphertext without parsing exactly when the core would after parsing', () => {
    const jsonish = fc.constantFrom(...' \t\n\r{}[]":,-0123456789tfnrue\\'.split('')).map((c) => c.charCodeAt(0));
    const bytes = fc.oneof(fc.uint8Array({maxLength: 64}), fc.array(jsonish, {maxLength: 64}).map((a) => Uint8Array.from(a)));
    fc.assert(
      fc.property(bytes, (frame) => {
        if (!mayBeJson(frame)) expect(classifyFrame(frame).clear).to.equal(false);
        else expect(readRelayFrame(frame, limits).kind === 'opaque').to.equal(!classifyFrame(frame).clear);
      }),
      {numRuns: 5000},
    );
  });

  it('reads frames by size: too large, clear too large, opaque', () => {
    expect(readRelayFrame(new Uint8Array(limits.maxFrameBytes + 1), limits)).to.deep.equal({kind: 'invalid', reason: 'frame too large'});
    expect(readRelayFrame(utf8Encode('['.repeat(2049)), limits)).to.deep.equal({kind: 'invalid', reason: 'clear frame too large'});
    expect(readRelayFrame(utf8Encode('['.repeat(2048)), limits).kind).to.equal('opaque'); // not JSON, so ciphertext by 3.5
    const invalid = readRelayFrame(utf8Encode('[]'), limits);
    expect(invalid.kind === 'invalid' && invalid.reason).to.match(/^invalid clear frame \([A-Z_]+\)$/);
  });
});

describe('relay client addresses', () => {
  const request = (remote: string, forwarded?: string): IncomingMessage =>
    ({socket: {remoteAddress: remote}, headers: forwarded === undefined ? {} : {'x-forwarded-for': forwarded}}) as unknown as IncomingMessage;

  it('normalises IPv4-mapped IPv6 and zone ids', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).to.equal('192.0.2.1');
    expect(normalizeAddress('FE80::1%eth0')).to.equal('fe80::1');
  });

  it('uses the TCP peer unless it is a trusted proxy', () => {
    const trusted = trustedProxies(['127.0.0.1', '10.0.0.0/8']);
    expect(clientAddress(request('::ffff:192.0.2.9', '203.0.113.1'), trusted)).to.equal('192.0.2.9');
    expect(clientAddress(request('192.0.2.9', '203.0.113.1'), undefined)).to.equal('192.0.2.9');
    expect(clientAddress(request('127.0.0.1', '203.0.113.1'), trusted)).to.equal('203.0.113.1');
    expect(clientAddress(request('127.0.0.1'), trusted)).to.equal('127.0.0.1');
  });

  it('takes the nearest untrusted hop of X-Forwarded-For, and stops at garbage', () => {
    const trusted = trustedProxies(['127.0.0.1', '10.0.0.0/8']);
    expect(clientAddress(request('127.0.0.1', '198.51.100.7, 203.0.113.1, 10.1.1.1'), trusted)).to.equal('203.0.113.1');
    expect(clientAddress(request('127.0.0.1', 'spoofed, 10.1.1.1'), trusted)).to.equal('10.1.1.1');
    expect(clientAddress(request('127.0.0.1', '10.2.2.2, 10.1.1.1'), trusted)).to.equal('10.2.2.2');
  });

  it('refuses trusted-proxy entries that are not addresses or subnets', () => {
    for (const bad of ['localhost', '10.0.0.0/33', '1.2.3.4/8/8', '::1/129', '']) {
      expect(() => trustedProxies([bad]), bad).to.throw(/not an IP address or CIDR subnet/);
    }
    expect(trustedProxies([])).to.equal(undefined);
  });

  it('counts IPv6 clients by /64 and IPv4 clients by address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
    expect(addressKey('192.0.2.1')).to.equal('192.0.2.1');
  });
});

describe('relay descriptor limits', () => {
  it('reads the soft open-files limit from /proc/self/limits text', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n';
    expect(parseProcLimits(text)).to.equal(1024);
    expect(parseProcLimits(text.replace('1024', 'unlimited'))).to.equal(undefined);
    expect(parseProcLimits('nothing here')).to.equal(undefined);
  });

  it('reads this process limit', async () => {
    const limit = await descriptorLimit();
    expect(limit === undefined || (Number.isSafeInteger(limit) && limit > 0)).to.equal(true);
  });

  it('keeps headroom below the limit, with a ceiling and a fallback', () => {
    expect(connectionsForDescriptors(256)).to.equal(192);
    expect(connectionsForDescriptors(1024)).to.equal(960);
    expect(connectionsForDescriptors(4096)).to.equal(4096 - 205);
    expect(connectionsForDescriptors(1_048_576)).to.equal(10000);
    expect(connectionsForDescriptors(undefined)).to.equal(10000);
    expect(connectionsForDescriptors(20)).to.equal(1);
  });
});

describe('relay budgets and log aggregation', () => {
  it('a budget allows a burst, then one per refill period', () => {
    let now = 0;
    const budget = new Budget(2, 100, () => now);
    expect([budget.take(), budget.take(), budget.take()]).to.deep.equal([true, true, false]);
    now += 100;
    expect([budget.take(), budget.take()]).to.deep.equal([true, false]);
    now += 10_000;
    expect([budget.take(), budget.take(), budget.take()]).to.deep.equal([true, true, false]);
  });

  it('writes the first line at once, then one summed line per interval, and the rest when the group closes', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const repeats = new LogAggregator((e) => lines.push(e as Record<string, unknown>), 40);
    for (let i = 0; i < 100; i++) repeats.note('k', {event: 'dropped', reason: 'r'}, 7);
    expect(lines).to.deep.equal([{event: 'dropped', reason: 'r', count: 1}]);
    await new Promise((r) => setTimeout(r, 60));
    expect(lines.at(-1)).to.deep.equal({event: 'dropped', reason: 'r', count: 99});
    for (let i = 0; i < 5; i++) repeats.note('k', {event: 'dropped', reason: 'r'}, 7);
    repeats.flush(7);
    expect(lines.at(-1)).to.deep.equal({event: 'dropped', reason: 'r', count: 5});
    repeats.note('k', {event: 'dropped', reason: 'r'}, 7);
    expect(lines.at(-1), 'a new account starts with a line at once').to.deep.equal({event: 'dropped', reason: 'r', count: 1});
    repeats.close();
    expect(lines.reduce((n, e) => n + (e['count'] as number), 0)).to.equal(106);
  });
});
