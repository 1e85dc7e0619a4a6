/**
 * The browser bundle (dist/browser/moneysocket-elements.js, built by
 * `npm test` before the browser tests) registers every tag, with the
 * classes it exports: a plain HTML page loads it and just uses the tags.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';

type Classes = typeof import('../../src/elements/index.js');

describe('the browser bundle', () => {
  after(() => fixtureCleanup());

  it('registers the tags with the classes it exports, and they render', async () => {
    const url = new URL('../../dist/browser/moneysocket-elements.js', import.meta.url).href;
    const bundle = (await import(/* @vite-ignore */ url).catch((error: Error) => {
      throw new Error(`${error.message}: build the bundle first (node scripts/build-bundle.mjs)`);
    })) as Classes;
    expect(customElements.get('ms-consumer')).to.equal(bundle.MsConsumer);
    expect(customElements.get('ms-provider')).to.equal(bundle.MsProvider);
    expect(customElements.get('ms-beacon-input')).to.equal(bundle.MsBeaconInput);
    expect(customElements.get('ms-beacon-display')).to.equal(bundle.MsBeaconDisplay);
    expect(customElements.get('ms-payment')).to.equal(bundle.MsPayment);
    const el = await fixture<InstanceType<Classes['MsConsumer']>>(html`<ms-consumer></ms-consumer>`);
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('disconnected');
    expect(el.shadowRoot!.querySelector('[part="base"]')).to.not.equal(null);
  });

  it('loads its lazy chunks, which take what they share with the main file from it', async () => {
    const url = new URL('../../dist/browser/moneysocket-elements.js', import.meta.url).href;
    await import(/* @vite-ignore */ url);
    const el = await fixture<InstanceType<Classes['MsConsumer']>>(html`<ms-consumer></ms-consumer>`);
    // ConsumerWebLN is a chunk of its own; before it loads, nothing is known.
    expect(await el.webln.isEnabled()).to.equal(false);
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.some((name) => /\/chunks\/consumer-webln-[\w-]+\.js/.test(name))).to.equal(true);
  });
});
