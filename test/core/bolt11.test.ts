import {expect} from 'chai';
import fc from 'fast-check';
import {bech32} from '@scure/base';
import {BOLT11_MAX_LENGTH, decodeBolt11, isExpired, paymentHashOf, type DecodedInvoice} from '../../src/core/bolt11.js';
import {MoneysocketError, type Result} from '../../src/core/errors.js';
import {loadVectors} from '../vectors.js';

interface InvoiceVector {
  name: string;
  group: 'invoice';
  bolt11: string;
  msats: number;
  preimage: string;
  payment_hash: string;
}

const {vectors} = await loadVectors<InvoiceVector>('invoices.json');
const [mainnet, regtest] = vectors as [InvoiceVector, InvoiceVector];

// The first example of BOLT #11 itself: amountless, with a payment secret.
const SPEC_EXAMPLE =
  'lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql';

const LIMIT = 20000;
const SIG_WORDS = 104;

function decoded(invoice: string): DecodedInvoice {
  const r = decodeBolt11(invoice);
  if (!r.ok) throw new Error(`expected ${invoice.slice(0, 30)}… to decode: ${r.error.message}`);
  return r.value;
}

function expectInvalid(r: Result<unknown>, messagePart?: string): void {
  expect(r.ok, 'should not decode').to.equal(false);
  if (r.ok) return;
  expect(r.error).to.be.instanceOf(MoneysocketError);
  expect(r.error.code).to.equal('BOLT11_INVALID');
  if (messagePart !== undefined) expect(r.error.message).to.contain(messagePart);
}

/** A well-checksummed invoice from parts; the signature is zeros unless given. */
function build(prefix: string, tags: [number, number[]][], sig: number[] = new Array(SIG_WORDS).fill(0)): string {
  const words = [0, 0, 0, 0, 0, 0, 1]; // timestamp 1
  for (const [tag, data] of tags) words.push(tag, data.length >> 5, data.length & 31, ...data);
  return bech32.encode(prefix, [...words, ...sig], LIMIT);
}

const HASH_WORDS = bech32.toWords(new Uint8Array(32).fill(0xab));
const P: [number, number[]] = [1, HASH_WORDS];

/** Re-encodes a real invoice's words after `edit`, so the checksum stays valid. */
function rewrite(invoice: string, edit: (prefix: string, words: number[]) => [string, number[]]): string {
  const {prefix, words} = bech32.decode(invoice, LIMIT);
  const [p, w] = edit(prefix, [...words]);
  return bech32.encode(p, w, LIMIT);
}

describe('BOLT11 decoder', () => {
  describe('vectors', () => {
    for (const v of vectors) {
      it(`decodes ${v.name}`, () => {
        const d = decoded(v.bolt11);
        expect(d.msats).to.equal(BigInt(v.msats));
        expect(d.paymentHash).to.equal(v.payment_hash);
        expect(d.signature).to.match(/^[0-9a-f]{128}$/);
        expect(d.recoveryFlag).to.be.within(0, 3);
        expect(d.expiry).to.equal(3600);
        expect(d.expiresAt).to.equal(d.timestamp + 3600);
      });
    }

    it('reports the network of each vector', () => {
      expect(decoded(mainnet.bolt11).network).to.equal('bc');
      expect(decoded(regtest.bolt11).network).to.equal('bcrt');
    });

    it('reads the description, timestamp and cltv of the vectors', () => {
      const d = decoded(mainnet.bolt11);
      expect(d.description).to.equal('moneysocket v0 test vector');
      expect(d.timestamp).to.equal(1609459200);
      expect(d.minFinalCltvExpiry).to.equal(9);
      expect(d).not.to.have.property('paymentSecret');
      expect(d).not.to.have.property('payeeNodeKey');
    });

    it('decodes the BOLT #11 spec example (no amount, payment secret)', () => {
      const d = decoded(SPEC_EXAMPLE);
      expect(d.msats).to.equal(null);
      expect(d.timestamp).to.equal(1496314658);
      expect(d.paymentHash).to.equal('0001020304050607080900010203040506070809000102030405060708090102');
      expect(d.paymentSecret).to.equal('11'.repeat(32));
      expect(d.description).to.equal('Please consider supporting this project');
      expect(d.recoveryFlag).to.equal(1);
    });

    it('accepts all-uppercase invoices', () => {
      for (const v of vectors) {
        expect(decoded(v.bolt11.toUpperCase())).to.deep.equal(decoded(v.bolt11));
      }
    });

    it('paymentHashOf returns the hash, or the decoder error', () => {
      const r = paymentHashOf(regtest.bolt11);
      expect(r.ok && r.value).to.equal(regtest.payment_hash);
      expectInvalid(paymentHashOf('lnbc1nothing'));
    });

    it('isExpired turns true at timestamp + expiry', () => {
      const d = decoded(mainnet.bolt11);
      expect(isExpired(d, d.timestamp)).to.equal(false);
      expect(isExpired(d, d.expiresAt - 1)).to.equal(false);
      expect(isExpired(d, d.expiresAt)).to.equal(true);
    });
  });

  describe('amounts', () => {
    const cases: [string, bigint | null][] = [
      ['lnbc', null],
      ['lnbc1', 100_000_000_000n],
      ['lnbc25m', 2_500_000_000n],
      ['lnbc15u', 1_500_000n],
      ['lnbc210n', 21_000n],
      ['lnbc10p', 1n],
      ['lnbc2500000000p', 250_000_000n],
      ['lntbs3u', 300_000n],
      ['lntb1m', 100_000_000n],
    ];
    for (const [prefix, msats] of cases) {
      it(`${prefix} → ${msats} msat`, () => {
        expect(decoded(build(prefix, [P])).msats).to.equal(msats);
      });
    }

    it('keeps amounts beyond 2^53 exact', () => {
      expect(decoded(build('lnbc9007199254740993', [P])).msats).to.equal(9007199254740993n * 100_000_000_000n);
    });

    const bad: [string, string, string?][] = [
      ['lnbc2500x', 'unknown multiplier', 'is not a BOLT11 prefix with a valid amount'],
      ['lnbc2500000001p', 'pico-bitcoin amount that is not whole millisatoshis', 'pico-bitcoin amount is not a whole number of millisatoshis'],
      ['lnbc1p', 'one pico-bitcoin', 'pico-bitcoin amount is not a whole number of millisatoshis'],
      ['lnbc0n', 'zero', 'invoice amount must be positive, without leading zeros'],
      ['lnbc015u', 'leading zero', 'invoice amount must be positive, without leading zeros'],
      ['lnbc1.5u', 'a decimal point'],
      ['lnbc15uu', 'two multipliers'],
      ['lnbc15mu', 'two multipliers'],
      ['lnbc-15u', 'a sign'],
      ['lnbc15u2', 'digits after the multiplier'],
      ['ln15u', 'no currency'],
      ['bc15u', 'no ln'],
      ['xlnbc15u', 'text before ln', '"xlnbc15u" is not a BOLT11 prefix'],
      ['lnbc15ux', 'text after the amount'],
    ];
    for (const [prefix, why, message] of bad) {
      it(`rejects ${prefix} (${why})`, () => {
        expectInvalid(decodeBolt11(build(prefix, [P])), message);
      });
    }

    it('quotes a bad prefix in its error, cut at 40 characters', () => {
      const prefix = 'ln' + 'a'.repeat(60) + '15x';
      const r = decodeBolt11(build(prefix, [P]));
      expect(!r.ok && r.error.message).to.equal(`"${prefix.slice(0, 40)}" is not a BOLT11 prefix with a valid amount`);
    });
  });

  describe('malformed input', () => {
    it('rejects a bad checksum', () => {
      const s = mainnet.bolt11;
      const last = s[s.length - 1] === 'q' ? 'p' : 'q';
      expectInvalid(decodeBolt11(s.slice(0, -1) + last), 'bech32');
    });

    it('rejects a changed character in the data part', () => {
      const s = regtest.bolt11;
      const i = 40;
      expectInvalid(decodeBolt11(s.slice(0, i) + (s[i] === 'x' ? 'y' : 'x') + s.slice(i + 1)));
    });

    it('rejects mixed case', () => {
      const s = mainnet.bolt11;
      expectInvalid(decodeBolt11(s.slice(0, 10).toUpperCase() + s.slice(10)));
    });

    it('rejects truncated strings', () => {
      for (const cut of [1, 6, 7, 50, 200]) expectInvalid(decodeBolt11(mainnet.bolt11.slice(0, -cut)));
      expectInvalid(decodeBolt11(mainnet.bolt11.slice(0, 20)));
    });

    it('rejects data too short for a timestamp and a signature', () => {
      const short = rewrite(mainnet.bolt11, (p, w) => [p, w.slice(0, 110)]);
      expectInvalid(decodeBolt11(short), 'too short');
      const noTags = rewrite(mainnet.bolt11, (p, w) => [p, [...w.slice(0, 7), ...w.slice(-SIG_WORDS)]]);
      expectInvalid(decodeBolt11(noTags), 'no payment hash');
    });

    it('rejects a tagged field cut off by the signature', () => {
      // Dropping a word from the tags leaves the last field one word short.
      const cut = rewrite(mainnet.bolt11, (p, w) => [p, [...w.slice(0, -SIG_WORDS - 1), ...w.slice(-SIG_WORDS)]]);
      expectInvalid(decodeBolt11(cut));
      const header = bech32.encode('lnbc', [0, 0, 0, 0, 0, 0, 1, 13, 0, ...new Array(SIG_WORDS).fill(0)], LIMIT);
      expectInvalid(decodeBolt11(header), 'truncated tagged field header');
      const overlong = bech32.encode('lnbc', [0, 0, 0, 0, 0, 0, 1, 1, 1, 20, ...new Array(SIG_WORDS).fill(0)], LIMIT);
      expectInvalid(decodeBolt11(overlong), 'runs past the signature');
    });

    it('skips p, h, s and n fields of the wrong length, as BOLT #11 requires', () => {
      expectInvalid(decodeBolt11(build('lnbc', [[1, HASH_WORDS.slice(0, 51)]])), 'no payment hash');
      expectInvalid(decodeBolt11(build('lnbc', [[1, [...HASH_WORDS, 0]]])), 'no payment hash');
      const d = decoded(
        build('lnbc', [
          [1, [...HASH_WORDS, 0]],
          [16, HASH_WORDS.slice(1)],
          [23, [0, ...HASH_WORDS]],
          [19, HASH_WORDS],
          P,
        ]),
      );
      expect(d.paymentHash).to.equal('ab'.repeat(32));
      expect(d).not.to.have.property('paymentSecret');
      expect(d).not.to.have.property('descriptionHash');
      expect(d).not.to.have.property('payeeNodeKey');
    });

    it('reads h, s and n fields of the right length', () => {
      const key = bech32.toWords(new Uint8Array(33).fill(2));
      const d = decoded(build('lnbc', [P, [16, HASH_WORDS], [23, HASH_WORDS], [19, key]]));
      expect(d.paymentSecret).to.equal('ab'.repeat(32));
      expect(d.descriptionHash).to.equal('ab'.repeat(32));
      expect(d.payeeNodeKey).to.equal('02'.repeat(33));
    });

    it('keeps the first of repeated fields', () => {
      const other = bech32.toWords(new Uint8Array(32).fill(0xcd));
      expect(decoded(build('lnbc', [P, [1, other]])).paymentHash).to.equal('ab'.repeat(32));
    });

    it('rejects non-zero padding in a fixed-size field', () => {
      const padded = [...HASH_WORDS.slice(0, 51), HASH_WORDS[51]! | 1];
      expectInvalid(decodeBolt11(build('lnbc', [[1, padded]])), 'padding');
    });

    it('rejects a description that is not UTF-8', () => {
      const words = bech32.toWords(Uint8Array.of(0xff, 0xfe, 0x41));
      expectInvalid(decodeBolt11(build('lnbc', [P, [13, words]])), 'UTF-8');
    });

    it('reads expiry and cltv of any width, and rejects ones past 2^53', () => {
      const d = decoded(build('lnbc', [P, [6, [1, 0]], [24, []]]));
      expect(d.expiry).to.equal(32);
      expect(d.expiresAt).to.equal(33);
      expect(d.minFinalCltvExpiry).to.equal(0);
      expectInvalid(decodeBolt11(build('lnbc', [P, [6, new Array(11).fill(31)]])), 'too large');
      expectInvalid(decodeBolt11(build('lnbc', [P, [24, new Array(20).fill(31)]])), 'too large');
    });

    it('skips unknown and unused fields', () => {
      const d = decoded(build('lnbc', [[0, [1, 2, 3]], [3, new Array(100).fill(7)], [5, [16, 8, 0]], P, [31, []]]));
      expect(d.paymentHash).to.equal('ab'.repeat(32));
    });

    it('reads recovery flags 0 to 3 and rejects one above 3', () => {
      const sigWith = (flag: number) => bech32.toWords(Uint8Array.from({length: 65}, (_, i) => (i === 64 ? flag : 1)));
      for (const flag of [0, 1, 2, 3]) expect(decoded(build('lnbc', [P], sigWith(flag))).recoveryFlag).to.equal(flag);
      expect(decoded(build('lnbc', [P], sigWith(3))).signature).to.equal('01'.repeat(64));
      expectInvalid(decodeBolt11(build('lnbc', [P], sigWith(4))), 'signature recovery flag 4 is not 0-3');
    });

    it('leaves out the fields an invoice does not have', () => {
      const d = decoded(build('lnbc', [P]));
      expect(Object.keys(d).sort()).to.deep.equal(
        ['network', 'msats', 'timestamp', 'paymentHash', 'expiry', 'expiresAt', 'signature', 'recoveryFlag'].sort(),
      );
      const full = decoded(build('lnbc', [P, [13, bech32.toWords(new TextEncoder().encode('hi'))], [24, [9]]]));
      expect(full.description).to.equal('hi');
      expect(full.minFinalCltvExpiry).to.equal(9);
    });

    it('reads an expiry of exactly 2^53 - 1, and refuses 2^53', () => {
      const max = decoded(build('lnbc', [P, [6, [7, ...new Array<number>(10).fill(31)]]]));
      expect(max.expiry).to.equal(Number.MAX_SAFE_INTEGER);
      expectInvalid(decodeBolt11(build('lnbc', [P, [6, [8, ...new Array<number>(10).fill(0)]]])), 'expiry or cltv field is too large');
    });

    it('rejects strings that are not BOLT11 invoices', () => {
      const samples = [
        '',
        'lnbc',
        'lnbc1',
        'hello world',
        'lightning:' + mainnet.bolt11,
        ' ' + mainnet.bolt11,
        mainnet.bolt11 + '\n',
        'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
        bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode('https://service.example/lnurl?tag=x')), LIMIT),
        bech32.encode('lnbc', [], LIMIT),
        '{"bolt11": "lnbc"}',
        'lnbc15u1' + 'q'.repeat(200),
      ];
      for (const s of samples) expectInvalid(decodeBolt11(s));
    });

    it('rejects non-strings passed from untyped code', () => {
      for (const x of [undefined, null, 42, {}, ['lnbc']]) expectInvalid(decodeBolt11(x as unknown as string), 'invoice must be a string');
    });

    it('rejects strings over the length bound by their length, before decoding them', () => {
      expectInvalid(decodeBolt11('lnbc1' + 'q'.repeat(BOLT11_MAX_LENGTH)), `is ${BOLT11_MAX_LENGTH + 5} characters; at most ${BOLT11_MAX_LENGTH}`);
      expectInvalid(decodeBolt11('lnbc1' + 'q'.repeat(5_000_000)), 'at most');
    });

    it('decodes an invoice of exactly the bound, 7089 characters', () => {
      // 4 (lnbc) + 1 + 6 checksum characters, so 7078 words: 7 + 55 (p) + six 1026-word fields + one 756-word field + 104.
      const filler: [number, number[]][] = [...new Array<[number, number[]]>(6).fill([3, new Array<number>(1023).fill(7)]), [3, new Array<number>(753).fill(7)]];
      const invoice = build('lnbc', [P, ...filler]);
      expect(invoice.length).to.equal(BOLT11_MAX_LENGTH);
      expect(decoded(invoice).paymentHash).to.equal('ab'.repeat(32));
      const over = build('lnbc', [P, ...filler.slice(0, -1), [3, new Array<number>(754).fill(7)]]);
      expect(over.length).to.equal(BOLT11_MAX_LENGTH + 1);
      expectInvalid(decodeBolt11(over), 'at most');
    });

    it('decodes long invoices up to the bound', () => {
      const description = 'x'.repeat(630); // 1008 words: near the 1023-word field limit
      const words = bech32.toWords(new TextEncoder().encode(description));
      const d = decoded(build('lnbc', [P, [13, words], [13, words], [13, words]]));
      expect(d.description).to.equal(description);
    });
  });

  describe('properties', () => {
    const isOkOrInvalid = (s: string): boolean => {
      const r = decodeBolt11(s);
      return r.ok || (r.error instanceof MoneysocketError && r.error.code === 'BOLT11_INVALID');
    };
    const prefixArb = fc.stringMatching(/^ln(bc|bcrt|tb|tbs|[a-z]{0,3})(0|[1-9][0-9]{0,6})?[munpx]?$/);
    const wordsArb = fc.array(fc.integer({min: 0, max: 31}), {maxLength: 400});

    it('never throws on arbitrary strings (10,000 runs)', () => {
      const anyString = fc.oneof(
        fc.string({maxLength: 300}),
        fc.string({unit: 'binary', maxLength: 300}),
        fc.stringMatching(/^ln[a-z0-9]{0,12}1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{0,300}$/),
        fc.tuple(prefixArb, wordsArb).map(([p, w]) => bech32.encode(p, w, LIMIT)),
        fc.tuple(prefixArb, wordsArb).map(([p, w]) => bech32.encode(p, w, LIMIT).toUpperCase()),
      );
      fc.assert(fc.property(anyString, isOkOrInvalid), {numRuns: 10_000});
    });

    it('never throws on mutated valid invoices (10,000 runs)', () => {
      const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
      const invoiceArb = fc.constantFrom(...vectors.map((v) => v.bolt11), SPEC_EXAMPLE);
      // Character edits: almost always caught by the checksum.
      const charEdit = fc
        .tuple(invoiceArb, fc.nat(), fc.constantFrom(...charset, '1', 'B', 'é', ''), fc.nat({max: 3}))
        .map(([s, i, c, del]) => {
          const at = i % s.length;
          return s.slice(0, at) + c + s.slice(at + del);
        });
      // Word edits re-checksummed, so they reach the amount and field parsers.
      const wordEdit = fc
        .tuple(
          invoiceArb,
          prefixArb,
          fc.boolean(),
          fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 31}), fc.constantFrom('set', 'insert', 'delete')), {
            minLength: 1,
            maxLength: 6,
          }),
        )
        .map(([s, newPrefix, keepPrefix, edits]) =>
          rewrite(s, (prefix, words) => {
            for (const [i, w, op] of edits) {
              const at = i % (words.length + 1);
              if (op === 'set' && at < words.length) words[at] = w;
              else if (op === 'insert') words.splice(at, 0, w);
              else words.splice(at, 1);
            }
            return [keepPrefix ? prefix : newPrefix, words];
          }),
        );
      fc.assert(
        fc.property(fc.oneof(charEdit, wordEdit), (s) => {
          const r = decodeBolt11(s);
          if (!r.ok) return r.error instanceof MoneysocketError && r.error.code === 'BOLT11_INVALID';
          return /^[0-9a-f]{64}$/.test(r.value.paymentHash) && /^[0-9a-f]{128}$/.test(r.value.signature);
        }),
        {numRuns: 10_000},
      );
    });
  });
});
