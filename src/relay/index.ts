/** The Moneysocket v0 relay, as a library (`moneysocket-elements/relay`). Node only. */
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_WAITING_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  RELAY_CLOSE,
  defaultRelayLog,
  startRelay,
  type RelayHandle,
  type RelayOptions,
} from './relay.js';
export {
  RendezvousPairing,
  rendezvousNotification,
  type CloseReason,
  type PairingConnection,
  type PairingEvent,
  type PairingOptions,
  type PairingStats,
} from './pairing.js';
