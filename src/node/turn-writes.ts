/**
 * Fewer system calls for bursts: a socket's first write of an event-loop
 * turn goes out at once, and the writes that follow it in the same turn are
 * held (the socket corked) and go out together, in one `writev`, when the
 * turn's work is done. A lone frame (a ping, a payment) leaves as soon as it
 * would have; many frames sent in one turn (a read that held many, a burst
 * of requests) cost one system call instead of one each.
 */
import type {Writable} from 'node:stream';

/** Returns the function to call before each write to `socket`. */
export function turnWriteCoalescer(socket: Pick<Writable, 'cork' | 'uncork'>): () => void {
  let wroteThisTurn = false;
  let corked = false;
  const endTurn = () => {
    wroteThisTurn = false;
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  return () => {
    if (!wroteThisTurn) {
      wroteThisTurn = true;
      process.nextTick(endTurn);
    } else if (!corked) {
      corked = true;
      socket.cork();
    }
  };
}
