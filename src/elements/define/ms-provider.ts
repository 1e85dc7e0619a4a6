/** Registers `<ms-provider>`; `moneysocket-elements/elements` has the class without registering it. */
import {define} from '../internal/ms-element.js';
import {MsProvider} from '../ms-provider.js';

export {MsProvider} from '../ms-provider.js';

define('ms-provider', MsProvider);

declare global {
  interface HTMLElementTagNameMap {
    'ms-provider': MsProvider;
  }
}
