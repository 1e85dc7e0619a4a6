/** The Moneysocket v0 relay, as a library (`moneysocket-elements/relay`). Node only. */
export {RELAY_CLOSE, startRelay, type RelayHandle} from './relay.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_LOG_INTERVAL_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MAX_WAITING_PER_ADDRESS,
  DEFAULT_WAITING_TIMEOUT_MS,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  defaultRelayLog,
  type RelayOptions,
} from './settings.js';
export {DEFAULT_MAX_CONNECTIONS, connectionsForDescriptors, descriptorLimit} from './descriptors.js';
export {DEFAULT_MAX_CLEAR_FRAME_BYTES} from './relay-frame.js';
export {DEFAULT_CLAIM_TTL_MS, MIN_CLAIM_TTL_MS, type ClusterHealth} from './cluster.js';
export {MemoryPairingBackend, type ClaimAnswer, type Holding, type PairingBackend, type PairingMachine, type RemotePeer} from './pairing-backend.js';
export {
  DEFAULT_MAX_DROPPED_FRAMES,
  RendezvousPairing,
  rendezvousNotification,
  type RelayCloseReason,
  type PairingConnection,
  type PairingEvent,
  type PairingOptions,
  type PairingStats,
} from './pairing.js';
export {readTlsFiles, type RelayTlsOptions} from './tls.js';
export {normalizeOrigin, type AdmissionOptions, type RefusalCode} from './admission.js';
export {RelayMetrics, type RedisState, type ClosedReason, type RelayCounts} from './metrics.js';
