/** An EventTarget whose event names and `detail` types are checked. */
export class TypedEventTarget<Events extends object> extends EventTarget {
  emit<K extends keyof Events & string>(type: K, detail: Events[K]): void {
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }

  on<K extends keyof Events & string>(type: K, listener: (detail: Events[K]) => void): () => void {
    const wrapped = (event: Event) => listener((event as CustomEvent<Events[K]>).detail);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /** Resolves with the next event of this type. */
  once<K extends keyof Events & string>(type: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(type, (detail) => {
        off();
        resolve(detail);
      });
    });
  }
}
