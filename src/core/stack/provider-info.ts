/** Provider info as applications see it (PROTOCOL.md 6.4), in camelCase. */
import type {Notification} from '../message-types.js';
import type {Wad} from '../wad.js';

export interface ProviderInfo {
  /** The provider-side account this consumer draws on. */
  accountUuid: string;
  /** The provider will pay invoices for this consumer (REQUEST_PAY). */
  payer: boolean;
  /** The provider will create invoices for this consumer (REQUEST_INVOICE). */
  payee: boolean;
  /** The balance available to this consumer; null when the provider sent none. */
  wad: Wad | null;
}

export function providerInfoFrom(message: Notification<'NOTIFY_PROVIDER'>): ProviderInfo {
  return {accountUuid: message.account_uuid, payer: message.payer, payee: message.payee, wad: message.wad};
}
