/** Registers `<ms-consumer>`; `moneysocket-elements/elements` has the class without registering it. */
import {define} from '../internal/ms-element.js';
import {MsConsumer} from '../ms-consumer.js';

export {MsConsumer} from '../ms-consumer.js';

define('ms-consumer', MsConsumer);

declare global {
  interface HTMLElementTagNameMap {
    'ms-consumer': MsConsumer;
  }
}
