/**
 * Registration lives apart from the classes. This file imports nothing from
 * src/elements up front (web-test-runner gives each test file its own page),
 * so the tags are undefined until a test imports a module that defines them.
 * The tests run in order: each imports one more module.
 */
import {expect, fixture, fixtureCleanup, html} from '@open-wc/testing';

type Classes = typeof import('../../src/elements/index.js');

const TAGS = ['ms-consumer', 'ms-provider', 'ms-beacon-input', 'ms-beacon-display', 'ms-payment'] as const;
const definedTags = () => TAGS.filter((tag) => customElements.get(tag) !== undefined);

/** Runs `load`, returning it result and the tags `customElements.define` was called with meanwhile. */
async function watchingDefine<T>(load: () => Promise<T>): Promise<{result: T; defined: string[]}> {
  const original = customElements.define;
  const defined: string[] = [];
  customElements.define = function (this: CustomElementRegistry, tag, ctor, options) {
    defined.push(tag);
    return original.call(this, tag, ctor, options);
  };
  try {
    return {result: await load(), defined};
  } finally {
    customElements.define = original;
  }
}

describe('registering the elements', () => {
  let classes: Classes;

  after(() => fixtureCleanup());

  it('defines no tag when the classes are imported', async () => {
    const {result, defined} = await watchingDefine(() => import('../../src/elements/index.js'));
    classes = result;
    expect(defined).to.deep.equal([]);
    expect(definedTags()).to.deep.equal([]);
    expect(classes.MsConsumer.prototype).to.be.instanceOf(HTMLElement);
    // The markup stays un-upgraded: an unknown element with no shadow root.
    const el = await fixture(html`<ms-consumer></ms-consumer>`);
    expect(el).to.not.be.instanceOf(classes.MsConsumer);
    expect(el.shadowRoot).to.equal(null);
  });

  it('defines one tag per define module, with the class the classes module exports', async () => {
    const {result, defined} = await watchingDefine(() => import('../../src/elements/define/ms-beacon-input.js'));
    expect(defined).to.deep.equal(['ms-beacon-input']);
    expect(definedTags()).to.deep.equal(['ms-beacon-input']);
    expect(result.MsBeaconInput).to.equal(classes.MsBeaconInput);
    expect(customElements.get('ms-beacon-input')).to.equal(classes.MsBeaconInput);
  });

  it('defines them all with moneysocket-elements/define, which also exports the classes', async () => {
    const {result, defined} = await watchingDefine(() => import('../../src/elements/define/index.js'));
    // ms-beacon-input was defined by the previous test: define() skips it.
    expect(defined.sort()).to.deep.equal(['ms-beacon-display', 'ms-consumer', 'ms-payment', 'ms-provider']);
    expect(customElements.get('ms-consumer')).to.equal(classes.MsConsumer);
    expect(customElements.get('ms-provider')).to.equal(classes.MsProvider);
    expect(customElements.get('ms-beacon-input')).to.equal(classes.MsBeaconInput);
    expect(customElements.get('ms-beacon-display')).to.equal(classes.MsBeaconDisplay);
    expect(customElements.get('ms-payment')).to.equal(classes.MsPayment);
    expect(result.MsConsumer).to.equal(classes.MsConsumer);
    expect(result.define).to.equal(classes.define);
  });

  it('upgrades markup that was waiting, and renders it', async () => {
    const el = await fixture<HTMLElement & {updateComplete: Promise<boolean>}>(html`<ms-consumer></ms-consumer>`);
    expect(el).to.be.instanceOf(classes.MsConsumer);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="base"]')).to.not.equal(null);
    expect(el.getAttribute('state')).to.equal('disconnected');
  });

  it('tolerates a tag that is already defined, by this class or another copy', async () => {
    const {defined} = await watchingDefine(async () => {
      classes.define('ms-consumer', classes.MsConsumer);
      classes.define('ms-provider', class AnotherCopy extends HTMLElement {});
      await import('../../src/elements/define/ms-consumer.js');
    });
    expect(defined).to.deep.equal([]);
    expect(customElements.get('ms-provider')).to.equal(classes.MsProvider);
  });
});
