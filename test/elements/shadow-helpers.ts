/** Reading an element's shadow DOM the way a person sees it, for the element tests. */

/** The element's part named `name`; throws if it has none. */
export function part<T extends Element = HTMLElement>(el: Element, name: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** The text a reader sees in a node: slots replaced by what they show (assigned nodes or fallback). */
export function shown(node: Node): string {
  if (node instanceof HTMLSlotElement) return node.assignedNodes({flatten: true}).map(shown).join('');
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  return [...node.childNodes].map(shown).join('');
}

/** The text shown in part `name`, whitespace collapsed. */
export const shownIn = (el: Element, name: string): string => shown(part(el, name)).replace(/\s+/g, ' ').trim();
