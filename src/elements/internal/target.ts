/** `for="id"` lookup shared by the elements: the element's own root first, then the document. */
export function findTarget(host: Element, id: string): HTMLElement | null {
  if (id === '') return null;
  const root = host.getRootNode();
  const local = root instanceof ShadowRoot || root instanceof Document ? root.getElementById(id) : null;
  return local ?? document.getElementById(id);
}
