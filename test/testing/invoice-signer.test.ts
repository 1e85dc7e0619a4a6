import {expect} from 'chai';
import fc from 'fast-check';
import {bech32} from '@scure/base';
import {sha256} from '@noble/hashes/sha2.js';
import {secp256k1} from '@noble/curves/secp256k1.js';
import {decodeBolt11, type DecodedInvoice} from '../../src/core/bolt11.js';
import {toHex, utf8Encode} from '../../src/core/bytes.js';
import {
  createSignedInvoice,
  encodeAmount,
  newPreimage,
  recoverPayeeNodeKey,
  verifyInvoiceSignature,
} from '../../src/testing/invoice-signer.js';
import {loadVectors, unhex} from '../vectors.js';

interface InvoiceVector {
  name: string;
  bolt11: string;
  msats: number;
  payment_hash: string;
}

const {vectors} = await loadVectors<InvoiceVector>('invoices.json');

const LIMIT = 20000;
// Any 32 bytes below the curve order are a key; a hash of a label is, with certainty in practice.
const PRIVATE_KEY = sha256(utf8Encode('moneysocket-elements invoice-signer test key'));
const PUBLIC_KEY = toHex(secp256k1.getPublicKey(PRIVATE_KEY, true));
const MAX_MSATS = 21_000_000n * 100_000_000_000n;

// BOLT #11's first example and the key its examples are signed with.
const SPEC_EXAMPLE =
  'lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql';
const SPEC_PAYEE = '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad';

function decoded(invoice: string): DecodedInvoice {
  const r = decodeBolt11(invoice);
  if (!r.ok) throw new Error(`expected the invoice to decode: ${r.error.message}`);
  return r.value;
}

/** Edits the signed data and re-checksums, so only the signature can notice. */
function tamper(invoice: string, edit: (words: number[]) => void): string {
  const {prefix, words} = bech32.decode(invoice, LIMIT);
  const copy = [...words];
  edit(copy);
  return bech32.encode(prefix, copy, LIMIT);
}

/** Every exact hrp spelling of an amount, to check the signer picks a shortest one. */
function exactSpellings(msats: bigint): string[] {
  const out = [`${msats * 10n}p`];
  for (const [per, letter] of [[100_000_000_000n, ''], [100_000_000n, 'm'], [100_000n, 'u'], [100n, 'n']] as const) {
    if (msats % per === 0n) out.push(`${msats / per}${letter}`);
  }
  return out;
}

function hrpAmount(invoice: string): string {
  return /^ln[a-z]+?(\d*[munp]?)$/.exec(bech32.decode(invoice, LIMIT).prefix)![1]!;
}

describe('invoice signer', () => {
  const {preimage, paymentHash} = newPreimage();

  it('creates invoices that decode to what was asked for', () => {
    const invoice = createSignedInvoice({
      privateKey: PRIVATE_KEY,
      msats: 1_500_000n,
      paymentHash,
      description: 'coffee ☕ for two',
      expirySeconds: 600,
      timestamp: 1_700_000_000,
      network: 'bcrt',
    });
    expect(invoice.startsWith('lnbcrt15u1')).to.equal(true);
    const d = decoded(invoice);
    expect(d.network).to.equal('bcrt');
    expect(d.msats).to.equal(1_500_000n);
    expect(d.paymentHash).to.equal(toHex(paymentHash));
    expect(d.description).to.equal('coffee ☕ for two');
    expect(d.expiry).to.equal(600);
    expect(d.timestamp).to.equal(1_700_000_000);
    expect(d.expiresAt).to.equal(1_700_000_600);
    expect(d.minFinalCltvExpiry).to.equal(18);
    expect(d.paymentSecret).to.match(/^[0-9a-f]{64}$/);
    expect(d.payeeNodeKey).to.equal(PUBLIC_KEY);
    expect(verifyInvoiceSignature(invoice)).to.equal(true);
    expect(toHex(sha256(preimage))).to.equal(d.paymentHash);
  });

  it('uses the defaults: mainnet, now, one hour, empty description, number amounts', () => {
    const before = Math.floor(Date.now() / 1000);
    const invoice = createSignedInvoice({privateKey: PRIVATE_KEY, msats: 21_000, paymentHash});
    const d = decoded(invoice);
    expect(invoice.startsWith('lnbc210n1')).to.equal(true);
    expect(d.network).to.equal('bc');
    expect(d.msats).to.equal(21_000n);
    expect(d.timestamp).to.be.within(before, Math.floor(Date.now() / 1000));
    expect(d.expiry).to.equal(3600);
    expect(d.description).to.equal('');
  });

  it('creates amountless invoices for msats: null', () => {
    const invoice = createSignedInvoice({privateKey: PRIVATE_KEY, msats: null, paymentHash, network: 'tb'});
    expect(invoice.startsWith('lntb1')).to.equal(true);
    expect(decoded(invoice).msats).to.equal(null);
    expect(verifyInvoiceSignature(invoice)).to.equal(true);
  });

  it('draws a fresh payment secret per invoice', () => {
    const opts = {privateKey: PRIVATE_KEY, msats: 1000, paymentHash, timestamp: 1};
    expect(decoded(createSignedInvoice(opts)).paymentSecret).not.to.equal(
      decoded(createSignedInvoice(opts)).paymentSecret,
    );
  });

  it('encodes amounts with the shortest exact multiplier', () => {
    const cases: [bigint, string][] = [
      [1n, '10p'],
      [15n, '150p'],
      [100n, '1n'],
      [21_000n, '210n'],
      [100_000n, '1u'],
      [1_500_000n, '15u'],
      [2_500_000_000n, '25m'],
      [100_000_000_000n, '1'],
      [250_000_000_000n, '2500m'],
      [MAX_MSATS, '21000000'],
    ];
    for (const [msats, text] of cases) {
      expect(encodeAmount(msats)).to.equal(text);
      const invoice = createSignedInvoice({privateKey: PRIVATE_KEY, msats, paymentHash, timestamp: 1});
      expect(hrpAmount(invoice)).to.equal(text);
      expect(decoded(invoice).msats).to.equal(msats);
    }
  });

  it('refuses amounts and fields it cannot encode', () => {
    for (const msats of [0, -1, 1.5, 0n, MAX_MSATS + 1n, Number.NaN]) {
      expect(() => createSignedInvoice({privateKey: PRIVATE_KEY, msats, paymentHash})).to.throw(RangeError);
    }
    expect(() => createSignedInvoice({privateKey: PRIVATE_KEY, msats: 1, paymentHash: new Uint8Array(31)})).to.throw(
      RangeError,
    );
    expect(() => createSignedInvoice({privateKey: PRIVATE_KEY, msats: 1, paymentHash, timestamp: 2 ** 35})).to.throw(
      RangeError,
    );
  });

  it('newPreimage returns random preimages and their SHA-256', () => {
    const a = newPreimage();
    const b = newPreimage();
    expect(a.preimage).to.have.length(32);
    expect(toHex(a.paymentHash)).to.equal(toHex(sha256(a.preimage)));
    expect(toHex(a.preimage)).not.to.equal(toHex(b.preimage));
  });

  describe('signature checks', () => {
    const invoice = createSignedInvoice({privateKey: PRIVATE_KEY, msats: 42_000n, paymentHash, description: 'tip'});

    it('recovers the key of the BOLT #11 spec example', () => {
      expect(toHex(recoverPayeeNodeKey(SPEC_EXAMPLE)!)).to.equal(SPEC_PAYEE);
      expect(verifyInvoiceSignature(SPEC_EXAMPLE, SPEC_PAYEE)).to.equal(true);
      expect(verifyInvoiceSignature(SPEC_EXAMPLE, PUBLIC_KEY)).to.equal(false);
    });

    it('recovers one throw-away key from both protocol vectors', () => {
      // The vectors were signed with the same key: a wrong signing hash would recover two random keys.
      const keys = vectors.map((v) => toHex(recoverPayeeNodeKey(v.bolt11)!));
      expect(keys[0]).to.match(/^0[23][0-9a-f]{64}$/);
      expect(keys[1]).to.equal(keys[0]);
      for (const v of vectors) expect(verifyInvoiceSignature(v.bolt11)).to.equal(true);
    });

    it('recovers the signer key from created invoices, with or without the n field', () => {
      expect(toHex(recoverPayeeNodeKey(invoice)!)).to.equal(PUBLIC_KEY);
      const bare = createSignedInvoice({privateKey: PRIVATE_KEY, msats: 1, paymentHash, includePayeeNodeKey: false});
      expect(decoded(bare)).not.to.have.property('payeeNodeKey');
      expect(toHex(recoverPayeeNodeKey(bare)!)).to.equal(PUBLIC_KEY);
      expect(verifyInvoiceSignature(bare)).to.equal(true);
      expect(verifyInvoiceSignature(bare, unhex(PUBLIC_KEY))).to.equal(true);
      expect(verifyInvoiceSignature(bare, SPEC_PAYEE)).to.equal(false);
      expect(verifyInvoiceSignature(bare, 'not hex')).to.equal(false);
    });

    it('rejects an invoice whose signed data was changed', () => {
      // Word 10 lies inside the p field (it starts at word 7 + 3 header words).
      const changedHash = tamper(invoice, (w) => (w[10] = w[10]! ^ 1));
      expect(decoded(changedHash).paymentHash).not.to.equal(toHex(paymentHash));
      expect(verifyInvoiceSignature(changedHash)).to.equal(false);
      const changedTime = tamper(invoice, (w) => (w[6] = w[6]! ^ 1));
      expect(verifyInvoiceSignature(changedTime)).to.equal(false);
      const changedAmount = bech32.encode('lnbc43u', bech32.decode(invoice, LIMIT).words, LIMIT);
      expect(decoded(changedAmount).msats).to.equal(4_300_000n);
      expect(verifyInvoiceSignature(changedAmount)).to.equal(false);
    });

    it('rejects an invoice whose signature was changed', () => {
      const n = bech32.decode(invoice, LIMIT).words.length;
      expect(verifyInvoiceSignature(tamper(invoice, (w) => (w[n - 20] = w[n - 20]! ^ 4)))).to.equal(false);
      // The last word holds the recovery id's low five bits: 0 <-> 1 recovers another key.
      expect(verifyInvoiceSignature(tamper(invoice, (w) => (w[n - 1] = w[n - 1]! ^ 1)))).to.equal(false);
    });

    it('rejects strings that do not decode', () => {
      expect(verifyInvoiceSignature(invoice.slice(0, -1) + (invoice.endsWith('q') ? 'p' : 'q'))).to.equal(false);
      expect(verifyInvoiceSignature('')).to.equal(false);
      expect(recoverPayeeNodeKey('lnbc1')).to.equal(null);
    });
  });

  describe('properties', () => {
    it('round-trips random amounts, descriptions and expiries, signed and shortest (property)', () => {
      fc.assert(
        fc.property(
          fc.bigInt({min: 1n, max: MAX_MSATS}),
          fc.string({maxLength: 80}),
          fc.integer({min: 0, max: 2 ** 32}),
          fc.constantFrom('bc' as const, 'bcrt' as const, 'tb' as const),
          (msats, description, expirySeconds, network) => {
            const invoice = createSignedInvoice({
              privateKey: PRIVATE_KEY,
              msats,
              paymentHash,
              description,
              expirySeconds,
              network,
            });
            const d = decoded(invoice);
            const shortest = Math.min(...exactSpellings(msats).map((s) => s.length));
            return (
              d.msats === msats &&
              d.network === network &&
              d.description === description &&
              d.expiry === expirySeconds &&
              d.paymentHash === toHex(paymentHash) &&
              hrpAmount(invoice).length === shortest &&
              verifyInvoiceSignature(invoice)
            );
          },
        ),
        {numRuns: 200},
      );
    });

    it('any amount that is a whole number of msats survives encodeAmount (property)', () => {
      fc.assert(
        fc.property(fc.bigInt({min: 1n, max: MAX_MSATS}), (msats) => {
          const text = encodeAmount(msats);
          return exactSpellings(msats).includes(text);
        }),
        {numRuns: 5000},
      );
    });
  });
});
