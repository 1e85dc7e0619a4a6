/**
 * `moneysocket-elements/node`: what only Node offers the stacks. Node only;
 * the core stays free of platform APIs, and a stack takes its cipher at run
 * time (`cipher` in its options).
 */
export {nodeCryptoCbc} from './cipher.js';
export {CoalescingWebSocket, nodeWebSocket} from './web-socket.js';
