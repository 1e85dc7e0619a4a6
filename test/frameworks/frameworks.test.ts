/**
 * `<ms-consumer>` inside a compiled Vue 3 app, a compiled Svelte 5 component
 * and a compiled React 19 component (built by
 * scripts/build-framework-fixtures.ts): the beacon and a `formatBalance`
 * function go in as properties through the framework's own binding, and real
 * events come back through the framework's own handlers into the state its
 * template renders.
 */
import {expect} from '@open-wc/testing';
import type {ProviderStack} from '../../src/core/stack/provider-stack.js';
import {MsConsumer} from '../../src/elements/index.js';
// The page registers the tag; the framework bundles import the class only.
import '../../src/elements/define/ms-consumer.js';
import {DemoLedger, InMemoryDemoNetwork} from '../../src/testing/demo-ledger.js';
import {beaconFor, walletProvider} from '../core/stack/fixtures.js';
import {nextEvent} from '../elements/connection-helpers.js';
import {startTestRelay, until} from '../support/relay.js';
import type {FixtureModule, MountedFixture} from './fixture-api.js';

const frameworks = ['vue', 'svelte', 'react'] as const;
const NAMES = {vue: 'Vue 3 app', svelte: 'Svelte 5 component', react: 'React 19 component'};
const fixtures = new Map<string, FixtureModule>();
const definedWhileLoading: string[] = [];

/** Loads the built bundles, noting every tag they register (there must be none). */
before(async () => {
  const define = customElements.define.bind(customElements);
  customElements.define = (tag, ctor, options) => (definedWhileLoading.push(tag), define(tag, ctor, options));
  try {
    for (const name of frameworks) {
      const url = new URL(`../../.build/frameworks/${name}-fixture.js`, import.meta.url).href;
      const loaded = (await import(/* @vite-ignore */ url).catch((error: Error) => {
        throw new Error(`${error.message}: build the fixtures first (npx tsx scripts/build-framework-fixtures.ts)`);
      })) as {default: FixtureModule};
      fixtures.set(name, loaded.default);
    }
  } finally {
    customElements.define = define;
  }
});

function rendered(container: HTMLElement, field: string): string {
  return container.querySelector(`[data-field="${field}"]`)?.textContent?.trim() ?? '';
}

for (const name of frameworks) {
  describe(`<ms-consumer> in a compiled ${NAMES[name]}`, function () {
    this.timeout(30000);
    let container: HTMLDivElement;
    let app: MountedFixture;

    beforeEach(() => {
      container = document.body.appendChild(document.createElement('div'));
      app = fixtures.get(name)!.mount(container);
    });

    afterEach(async () => {
      await app.consumer.disconnect();
      app.unmount();
      container.remove();
    });

    it('uses the page’s registration of the elements, never its own', () => {
      expect(definedWhileLoading).to.deep.equal([]);
      // define() skips a tag already defined, so a second copy would register nothing: compare the classes too.
      expect(fixtures.get(name)!.elementClass === MsConsumer, 'the bundle imported the page’s module').to.equal(true);
      expect(customElements.get('ms-consumer') === MsConsumer, 'one registration').to.equal(true);
      expect(app.consumer instanceof MsConsumer, 'the rendered element is upgraded').to.equal(true);
    });

    it('sets beacon as a property, and a real ms-error reaches the handler and the template', async () => {
      const fired = nextEvent(app.consumer, 'ms-error');
      await app.setBeacon('moneysocket1notabeacon');
      expect(app.consumer.beacon).to.equal('moneysocket1notabeacon');
      expect(app.consumer.hasAttribute('beacon'), 'set as a property, not an attribute').to.equal(false);
      const {detail} = await fired;
      expect(detail.code).to.match(/^BEACON_/);
      await until(() => rendered(container, 'error') === detail.code, 5000, 'the error code rendered');
    });

    it('renders ms-state up to connected and ms-provider-info from a real provider through a real relay', async () => {
      const relay = await startTestRelay();
      const network = new InMemoryDemoNetwork();
      const wallet = new DemoLedger({id: 'wallet', balanceMsats: 1_234_000, network});
      let provider: ProviderStack | undefined;
      try {
        provider = await walletProvider(wallet);
        const beacon = beaconFor(relay.url);
        await provider.connect(beacon);
        expect(rendered(container, 'state')).to.equal('none');
        await app.setBeacon(beacon);
        expect(app.consumer.beacon).to.equal(beacon);
        await until(() => rendered(container, 'state') === 'connected', 10000, 'state "connected" rendered');
        expect(rendered(container, 'states').split(' ')).to.include.members(['connecting', 'connected']);
        await until(() => rendered(container, 'balance') === '1234000', 5000, 'the balance rendered');
        expect(rendered(container, 'payer')).to.equal('true');
        expect(rendered(container, 'error')).to.equal('');
        // The fixture's formatBalance, a function, was set as a property: the element renders the balance with it.
        const shown = () => app.consumer.shadowRoot?.querySelector('[part="balance"] dd')?.textContent?.trim();
        await until(() => shown() === '1234000 msats', 5000, 'the balance formatted by the fixture’s formatBalance');
      } finally {
        await app.consumer.disconnect();
        await provider?.disconnect();
        await relay.stop();
      }
    });
  });
}
