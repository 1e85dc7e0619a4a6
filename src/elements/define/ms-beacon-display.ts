/** Registers `<ms-beacon-display>`; `moneysocket-elements/elements` has the class without registering it. */
import {define} from '../internal/ms-element.js';
import {MsBeaconDisplay} from '../ms-beacon-display.js';

export {MsBeaconDisplay} from '../ms-beacon-display.js';

define('ms-beacon-display', MsBeaconDisplay);

declare global {
  interface HTMLElementTagNameMap {
    'ms-beacon-display': MsBeaconDisplay;
  }
}
