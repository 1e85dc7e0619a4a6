/** The base of every element: typed event dispatch and tolerant registration. */
import {LitElement} from 'lit';
import {property} from 'lit/decorators.js';
import type {MsEventMap} from '../events.js';

type Detail<K extends keyof MsEventMap> = MsEventMap[K] extends CustomEvent<infer D> ? D : never;

export class MsElement extends LitElement {
  /**
   * `light` or `dark` fixes the element's colour scheme; unset (the default), it follows the reader's
   * `prefers-color-scheme`. Reflected, so CSS can select on it; the page's `--ms-*` properties win in both.
   */
  @property({reflect: true}) theme: 'light' | 'dark' | undefined;

  /** Fires a bubbling, composed CustomEvent; returns it so callers can check `defaultPrevented`. */
  protected emit<K extends keyof MsEventMap>(type: K, detail: Detail<K>, options: {cancelable?: boolean} = {}): MsEventMap[K] {
    const event = new CustomEvent(type, {detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false});
    this.dispatchEvent(event);
    // For one K it is exactly that event; TypeScript compares it against every K at once.
    return event as unknown as MsEventMap[K];
  }
}

/**
 * Registers a tag unless it is already defined, so two bundles of this
 * library on one page do not throw "already defined". A class is registered
 * once per registry: if the page already gave it a tag of its own, `tag` gets
 * a subclass, so both tags work instead of the import throwing.
 */
export function define(tag: string, ctor: CustomElementConstructor): void {
  if (customElements.get(tag)) return;
  const named = typeof customElements.getName === 'function' && customElements.getName(ctor) !== null;
  const element = named ? class extends ctor {} : ctor;
  customElements.define(tag, element);
}
