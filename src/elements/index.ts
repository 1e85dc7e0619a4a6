/**
 * The custom elements' classes and event types. Importing this module
 * registers no tag: `moneysocket-elements/define` (or one of
 * `moneysocket-elements/define/ms-…`) does, or the page registers the classes
 * under names of its own.
 */
export type {
  MsBeaconDetail,
  MsCopyDetail,
  MsErrorDetail,
  MsEventMap,
  MsInvoiceDetail,
  MsInvoiceRequestDetail,
  MsPaidDetail,
  MsPaymentState,
  MsPaymentStateDetail,
  MsPayRequestDetail,
  MsPaymentReceivedDetail,
  MsLocationDetail,
  MsPingDetail,
  MsPreimageDetail,
  MsProviderInfoDetail,
  MsRefusalCode,
  MsRequestActivity,
  MsRequestDetail,
  MsRequestRefusedDetail,
  MsUnseenRequest,
  MsStateDetail,
} from './events.js';
export {define, MsElement} from './internal/ms-element.js';
export {MsConsumer} from './ms-consumer.js';
export {MsProvider} from './ms-provider.js';
export {MsBeaconInput} from './ms-beacon-input.js';
export {MsBeaconDisplay} from './ms-beacon-display.js';
export {MsPayment} from './ms-payment.js';
