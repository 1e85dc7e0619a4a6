/**
 * The Svelte fixture's bundle entry. It imports the elements as any app would;
 * the build keeps that import external, so the page's own copy is used.
 */
import {flushSync, mount as mountComponent, unmount} from 'svelte';
import {MsConsumer} from '../../../src/elements/index.js';
import type {FixtureModule, MountedFixture} from '../fixture-api.js';
import Fixture from './Fixture.svelte';

export const elementClass = MsConsumer;

export function mount(target: HTMLElement): MountedFixture {
  const app = mountComponent(Fixture, {target});
  return {
    consumer: target.querySelector('ms-consumer')!,
    async setBeacon(value) {
      app.setBeacon(value);
      flushSync();
    },
    unmount: () => void unmount(app),
  };
}

export default {elementClass, mount} satisfies FixtureModule;
