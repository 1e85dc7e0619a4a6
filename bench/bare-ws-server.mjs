// The baseline for the relay's memory figures: a `ws` server that accepts
// WebSockets on 127.0.0.1 and does nothing else. Prints its ws:// address.
import {WebSocketServer} from 'ws';

const server = new WebSocketServer({host: '127.0.0.1', port: 0});
server.on('connection', (ws) => ws.on('error', () => {}));
server.on('listening', () => process.stdout.write(`ws://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
