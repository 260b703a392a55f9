import type { Duplex } from 'node:stream';

const coalesced = new WeakSet<Duplex>();

/**
 * Makes every write a connection gets within one turn of the event loop leave in one
 * system call, and returns that same connection.
 *
 * Broker sockets run with Nagle off, so a message at a low rate goes out at once instead
 * of waiting for the receiver's delayed ACK (about 40 ms over loopback). Without Nagle,
 * though, aedes' one write per packet would be one TCP segment each at high rates. So the
 * connection is corked on the first write of a turn and uncorked in the check phase of the
 * next turn: a lone message waits a few microseconds, a flood shares one writev per turn.
 * mqtt-packet's own cork/uncork pairs nest inside and change nothing. The program's own
 * clients (devices, fleet objects, the view) send through the same wrapper. A connection
 * wrapped twice is wrapped once.
 */
export function coalesceWrites<S extends Duplex>(connection: S): S {
  if (coalesced.has(connection)) return connection;
  coalesced.add(connection);
  let held = false;
  const release = () => {
    held = false;
    // end() and destroy() release the cork themselves.
    if (connection.writableCorked > 0) connection.uncork();
  };
  const write = connection.write;
  connection.write = function coalescedWrite(this: S, ...args: unknown[]): boolean {
    if (!held && !this.destroyed) {
      held = true;
      this.cork();
      setImmediate(release);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as S['write'];
  return connection;
}
