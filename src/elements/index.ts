/** The custom elements. Importing this module registers all four tags. */
export * from './events.js';
export {define, MsElement} from './internal/ms-element.js';
export {MsConsumer} from './ms-consumer.js';
export {MsProvider} from './ms-provider.js';
export {MsBeaconInput} from './ms-beacon-input.js';
export {MsBeaconDisplay} from './ms-beacon-display.js';
