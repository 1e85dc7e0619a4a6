/**
 * The classes and events of `moneysocket-elements/elements`, each registered
 * under its `ms-` tag. Pages that want other tag names (or a
 * scoped registry) import the classes from there and register them themselves.
 */
import './ms-consumer.js';
import './ms-provider.js';
import './ms-beacon-input.js';
import './ms-beacon-display.js';
import './ms-payment.js';

export * from '../index.js';
