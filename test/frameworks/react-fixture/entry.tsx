/**
 * The React fixture's bundle entry. It imports the elements as any app would;
 * the build keeps that import external, so the page's own copy is used.
 */
import {createRef} from 'react';
import {flushSync} from 'react-dom';
import {createRoot} from 'react-dom/client';
import {MsConsumer} from '../../../src/elements/index.js';
import type {FixtureModule, MountedFixture} from '../fixture-api.js';
import {Fixture, type FixtureHandle} from './Fixture.js';

export const elementClass = MsConsumer;

export function mount(target: HTMLElement): MountedFixture {
  const root = createRoot(target);
  const handle = createRef<FixtureHandle>();
  flushSync(() => root.render(<Fixture ref={handle} />));
  return {
    consumer: target.querySelector('ms-consumer')!,
    async setBeacon(value) {
      flushSync(() => handle.current!.setBeacon(value));
    },
    unmount: () => root.unmount(),
  };
}

export default {elementClass, mount} satisfies FixtureModule;
