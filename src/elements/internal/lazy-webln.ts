/**
 * `<ms-consumer>.webln` without the WebLN code in the main bundle: the same
 * methods, which load `ConsumerWebLN` (a lazy chunk) on the first call and
 * hand every call to it.
 */
import type {ConsumerWebLN, ConsumerWebLNOptions} from '../../bridges/consumer-webln.js';
import type {ConsumerStack} from '../../core/stack/consumer-stack.js';

/** What `webln` offers: ConsumerWebLN's WebLN methods. */
export type WebLN = Omit<ConsumerWebLN, 'stack'>;

type AsyncMethod = Exclude<keyof WebLN, 'on' | 'off'>;
const METHODS: AsyncMethod[] = ['enable', 'isEnabled', 'getInfo', 'sendPayment', 'makeInvoice', 'getBalance', 'keysend', 'signMessage', 'verifyMessage', 'lnurl'];

export function lazyWebLN(stack: ConsumerStack, options: ConsumerWebLNOptions): WebLN {
  let loaded: Promise<ConsumerWebLN> | undefined;
  const load = () => (loaded ??= import('../../bridges/consumer-webln.js').then((m) => new m.ConsumerWebLN(stack, options)));
  const webln: Record<string, unknown> = {
    // Synchronous in WebLN: queued behind the load, in call order.
    on: (name: string, listener: () => void) => void load().then((w) => w.on(name, listener)),
    off: (name: string, listener: () => void) => void load().then((w) => w.off(name, listener)),
  };
  for (const name of METHODS) {
    webln[name] = async (...args: unknown[]) => {
      const real = await load();
      return (real[name] as (...a: unknown[]) => unknown).apply(real, args);
    };
  }
  return webln as unknown as WebLN;
}
