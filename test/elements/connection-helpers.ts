/** Bounded waits and event recorders for the `<ms-consumer>` / `<ms-provider>` tests. */
import type {StackState} from '../../src/core/stack/stack.js';
import type {MsEventMap} from '../../src/elements/events.js';

/** Rejects with `what` if `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The next `type` event on `target`, within `ms`. */
export function nextEvent<K extends keyof MsEventMap>(target: EventTarget, type: K, ms = 10000): Promise<MsEventMap[K]> {
  return within(new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as MsEventMap[K]), {once: true})), ms, type);
}

/** Resolves once the element's `state` is `state`, within `ms`. */
export async function reachState(el: HTMLElement & {state: StackState}, state: StackState, ms = 10000): Promise<void> {
  if (el.state === state) return;
  await within(
    new Promise<void>((resolve) => {
      const listener = (e: MsEventMap['ms-state']) => {
        if (e.detail.state !== state) return;
        el.removeEventListener('ms-state', listener);
        resolve();
      };
      el.addEventListener('ms-state', listener);
    }),
    ms,
    `state ${state}`,
  );
}

/** Every event of the given types that `target` sees, in order. */
export function record<K extends keyof MsEventMap>(target: EventTarget, types: K[]): MsEventMap[K][] {
  const seen: MsEventMap[K][] = [];
  for (const type of types) target.addEventListener(type, (e) => seen.push(e as MsEventMap[K]));
  return seen;
}

/** The text a slot shows: its assigned nodes' text, or its fallback. */
export function slotText(root: ShadowRoot, name: string): string | undefined {
  const slot = root.querySelector<HTMLSlotElement>(`slot[name="${name}"]`);
  if (slot === null) return undefined;
  const assigned = slot.assignedNodes({flatten: true});
  const nodes = assigned.length > 0 ? assigned : [...slot.childNodes];
  return nodes.map((n) => n.textContent ?? '').join('').trim();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
