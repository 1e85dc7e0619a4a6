// A LayerContext for testing one layer on its own: it records what the layer
// does with it instead of sending anything.
import type {MoneysocketError} from '../../../src/core/errors.js';
import type {Message} from '../../../src/core/message-codec.js';
import {defaultRegistry} from '../../../src/core/message-types.js';
import {SharedSeed} from '../../../src/core/seed.js';
import type {ConnectionCloseReason, LayerContext} from '../../../src/core/stack/layer.js';

/** What a layer did with its context: messages sent, announces, reports (their text), closes and expected closes. */
export interface ContextLog {
  sent: Message[];
  announces: number;
  reports: string[];
  closes: ConnectionCloseReason[];
  expected: (ConnectionCloseReason | undefined)[];
}

/** A context every send of which succeeds, and the log of what the layer did with it. */
export function recordingContext(sharedSeed: SharedSeed = SharedSeed.generate()): {context: LayerContext; log: ContextLog} {
  const log: ContextLog = {sent: [], announces: 0, reports: [], closes: [], expected: []};
  const context: LayerContext = {
    sharedSeed,
    registry: defaultRegistry,
    send: (message) => {
      log.sent.push(message);
      return {ok: true, value: undefined};
    },
    announce: () => void log.announces++,
    status: () => undefined,
    report: (error: MoneysocketError) => void log.reports.push(error.message),
    close: (reason) => void log.closes.push(reason),
    expectClose: (reason) => void log.expected.push(reason),
  };
  return {context, log};
}

/** A message's request or notification name. */
export function messageName(message: Message): string {
  return String(message.message_class === 'REQUEST' ? message.request_name : message.notification_name);
}
