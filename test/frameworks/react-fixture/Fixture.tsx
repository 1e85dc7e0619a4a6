/**
 * `<ms-consumer>` in a React 19 component, through React's own bindings: React
 * 19 sets `beacon` and `formatBalance` as properties (the element has both),
 * and listens to `ms-…` events through `onms-…` props. Each handler writes
 * state that the component renders.
 */
import {useImperativeHandle, useState, type Ref} from 'react';
import type {Wad} from '../../../src/core/wad.js';
import type {MsErrorDetail, MsProviderInfoDetail, MsStateDetail} from '../../../src/elements/events.js';
import './jsx.js';

export interface FixtureHandle {
  setBeacon(value: string): void;
}

const formatBalance = (wad: Wad): string => `${wad.msats} msats`;

export function Fixture({ref}: {ref: Ref<FixtureHandle>}) {
  const [beacon, setBeacon] = useState('');
  const [states, setStates] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [balance, setBalance] = useState('');
  const [payer, setPayer] = useState('');
  useImperativeHandle(ref, () => ({setBeacon}), []);

  const onState = (event: CustomEvent<MsStateDetail>) => setStates((seen) => [...seen, event.detail.state]);
  const onError = (event: CustomEvent<MsErrorDetail>) => setError(event.detail.code);
  const onProviderInfo = ({detail: {providerInfo}}: CustomEvent<MsProviderInfoDetail>) => {
    setBalance(String(providerInfo.wad?.msats ?? ''));
    setPayer(String(providerInfo.payer));
  };

  return (
    <>
      <ms-consumer beacon={beacon} formatBalance={formatBalance} onms-state={onState} onms-error={onError} onms-provider-info={onProviderInfo}></ms-consumer>
      <p data-field="state">{states.at(-1) ?? 'none'}</p>
      <p data-field="states">{states.join(' ')}</p>
      <p data-field="error">{error}</p>
      <p data-field="balance">{balance}</p>
      <p data-field="payer">{payer}</p>
    </>
  );
}
