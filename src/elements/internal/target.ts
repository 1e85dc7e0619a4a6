/** `for="id"` lookup shared by the elements: the element's own root first, then the document. */
export function findTarget(host: Element, id: string): HTMLElement | null {
  if (id === '') return null;
  const root = host.getRootNode();
  const local = root instanceof ShadowRoot || root instanceof Document ? root.getElementById(id) : null;
  return local ?? document.getElementById(id);
}

/**
 * The registry that upgrades `el`: the scoped one it was created in where the
 * browser has scoped registries, else the global one. Targets are found by id,
 * never by tag, so pages may register the classes under any name in either.
 */
export function registryOf(el: Element): CustomElementRegistry {
  return (el as Element & {customElementRegistry?: CustomElementRegistry | null}).customElementRegistry ?? customElements;
}
