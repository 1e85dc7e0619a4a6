/** Registers `<ms-beacon-input>`; `moneysocket-elements/elements` has the class without registering it. */
import {define} from '../internal/ms-element.js';
import {MsBeaconInput} from '../ms-beacon-input.js';

export {MsBeaconInput} from '../ms-beacon-input.js';

define('ms-beacon-input', MsBeaconInput);

declare global {
  interface HTMLElementTagNameMap {
    'ms-beacon-input': MsBeaconInput;
  }
}
