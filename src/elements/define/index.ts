/**
 * The classes and events of `moneysocket-elements/elements`, with all four
 * registered under their `ms-` tags. Pages that want other tag names (or a
 * scoped registry) import the classes from there and register them themselves.
 */
import './ms-consumer.js';
import './ms-provider.js';
import './ms-beacon-input.js';
import './ms-beacon-display.js';

export {define, MsBeaconDisplay, MsBeaconInput, MsConsumer, MsElement, MsProvider} from '../index.js';
export type {
  MsBeaconDetail,
  MsCopyDetail,
  MsErrorDetail,
  MsEventMap,
  MsInvoiceDetail,
  MsInvoiceRequestDetail,
  MsPayRequestDetail,
  MsPaymentReceivedDetail,
  MsPingDetail,
  MsPreimageDetail,
  MsProviderInfoDetail,
  MsRequestDetail,
  MsStateDetail,
} from '../index.js';
