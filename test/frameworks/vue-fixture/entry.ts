/**
 * The Vue fixture's bundle entry. It imports the elements as any app would;
 * the build keeps that import external, so the page's own copy is used.
 */
import {createApp, nextTick} from 'vue';
import {MsConsumer} from '../../../src/elements/index.js';
import type {FixtureModule, MountedFixture} from '../fixture-api.js';
import Fixture from './Fixture.vue';

export const elementClass = MsConsumer;

export function mount(target: HTMLElement): MountedFixture {
  const app = createApp(Fixture);
  const root = app.mount(target) as unknown as {setBeacon(value: string): void};
  return {
    consumer: target.querySelector('ms-consumer')!,
    async setBeacon(value) {
      root.setBeacon(value);
      await nextTick();
    },
    unmount: () => app.unmount(),
  };
}

export default {elementClass, mount} satisfies FixtureModule;
