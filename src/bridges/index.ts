export {connectNwc, type NwcBackend, type NwcBackendOptions} from './nwc-backend.js';
