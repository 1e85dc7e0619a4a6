/**
 * The `<ms-consumer>` tag for React's JSX types: its properties, and its
 * events as React 19 binds them on custom elements (`onms-state` listens to
 * `ms-state`). The README shows the same declaration.
 */
import type {DetailedHTMLProps, HTMLAttributes} from 'react';
import type {MsConsumer} from '../../../src/elements/ms-consumer.js';
import type {MsErrorDetail, MsProviderInfoDetail, MsStateDetail} from '../../../src/elements/events.js';

type MsConsumerProps = DetailedHTMLProps<HTMLAttributes<MsConsumer>, MsConsumer> &
  Partial<Pick<MsConsumer, 'beacon' | 'formatBalance' | 'stackOptions' | 'webSocket'>> & {
    'onms-state'?: (event: CustomEvent<MsStateDetail>) => void;
    'onms-error'?: (event: CustomEvent<MsErrorDetail>) => void;
    'onms-provider-info'?: (event: CustomEvent<MsProviderInfoDetail>) => void;
  };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace; augmenting it is the only way in
  namespace JSX {
    interface IntrinsicElements {
      'ms-consumer': MsConsumerProps;
    }
  }
}
