/** What each compiled framework fixture exports; the test loads the built bundles and reads them through this. */
import type {MsConsumer} from '../../src/elements/ms-consumer.js';

export interface MountedFixture {
  /** The `<ms-consumer>` the framework rendered. */
  consumer: MsConsumer;
  /** Changes the beacon in the framework's own state; resolves once the framework has patched the DOM. */
  setBeacon(beacon: string): Promise<void>;
  unmount(): void;
}

export interface FixtureModule {
  /** The `MsConsumer` class the bundle imported: the page's own copy if the import stayed external. */
  elementClass: typeof MsConsumer;
  mount(target: HTMLElement): MountedFixture;
}
