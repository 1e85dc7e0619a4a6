/** Registers `<ms-payment>`; `moneysocket-elements/elements` has the class without registering it. */
import {define} from '../internal/ms-element.js';
import {MsPayment} from '../ms-payment.js';

export {MsPayment} from '../ms-payment.js';

define('ms-payment', MsPayment);

declare global {
  interface HTMLElementTagNameMap {
    'ms-payment': MsPayment;
  }
}
