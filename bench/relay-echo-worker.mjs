// Worker threads on Node 20 do not inherit tsx's loader from --import: register it here.
import {register} from 'tsx/esm/api';

register();
await import('./relay-echo-worker.ts');
