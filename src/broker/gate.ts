import type { Duplex } from 'node:stream';
import { FrameScanner, defaultGateLimits, type GateLimits } from './frame-scanner.js';
import { breaches } from './mqtt-rules.js';

export { FrameScanner, TOPIC_ALIAS_MAXIMUM, defaultGateLimits, type GateLimits } from './frame-scanner.js';

/**
 * The gate: MQTT 3.1.1 and MQTT 5 rules aedes does not enforce, and resource limits, checked on the
 * bytes of a connection before aedes' parser sees them.
 *
 * It does not wrap the connection in another stream. It swaps the connection's own
 * `push` (where the socket hands each chunk read from the network to its readers), scans
 * the chunk frame by frame and lets the very same Buffer through. Only the fields the
 * rules need are read; payloads are skipped by arithmetic. A field cut in two by a chunk
 * boundary is copied into a small scratch buffer; nothing else is copied or held back:
 * aedes only acts on a packet once its last byte has arrived, and a packet whose checks
 * are still pending cannot be complete yet.
 */

export interface GateViolation {
  /** Spec number such as 'MQTT-3.3.2-2', or 'limit-...' for a resource limit. */
  rule: string;
  /** One sentence for the broker log. */
  reason: string;
  /** Present once the connection's CONNECT was read. */
  clientId?: string;
  /** Set when the broker answered an MQTT 3.1.1 client with this CONNACK return code before closing. */
  connackCode?: number;
  /** The client's protocol level (5, 4 = 3.1.1, 3 = 3.1) once its CONNECT was read. */
  version?: number;
  /** Set when the broker told an MQTT 5 client this reason code (in CONNACK or DISCONNECT) before closing. */
  reasonCode?: number;
}

export type ViolationListener = (violation: GateViolation) => void;

function connack(code: number): Buffer {
  return Buffer.from([0x20, 0x02, 0x00, code]);
}

/**
 * An MQTT 5 CONNACK (0x20) or DISCONNECT (0xe0) with a reason code and, when it fits the
 * largest packet the client accepts, the reason as a Reason String (0x1f).
 */
export function reasonPacket(first: 0x20 | 0xe0, code: number, reason: string, clientMaximum = 0): Buffer {
  const head = first === 0x20 ? [0x00, code] : [code];
  const text = Buffer.from(reason, 'utf8');
  const withReason = head.length + 1 + 3 + text.length;
  if (withReason < 128 && (clientMaximum === 0 || withReason + 2 <= clientMaximum)) {
    return Buffer.concat([Buffer.from([first, withReason, ...head, 3 + text.length, 0x1f, 0, text.length]), text]);
  }
  return Buffer.from([first, head.length + 1, ...head, 0]);
}

function ignore(): void {}

/** How long a refused client gets to take the broker's last packet before the connection is cut. */
const REPLY_GRACE_MS = 1000;

/**
 * Puts the gate in front of a connection and returns that same connection, ready for
 * `aedes.handle()`. On the first broken rule the packet never reaches aedes: the gate
 * reports it, answers with a CONNACK where the spec asks for one, and closes the connection.
 */
export function gate<S extends Duplex>(
  connection: S,
  limits: GateLimits = defaultGateLimits,
  onViolation: ViolationListener = ignore,
): S {
  const scanner = new FrameScanner(limits);
  const push = connection.push;
  let refused = false;

  connection.push = function gatedPush(this: S, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null || chunk === undefined) return push.call(this, chunk, encoding);
    if (refused) return false;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk, encoding)
        : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
    const allowed = scanner.scan(bytes);
    if (allowed === bytes.length) return push.call(this, bytes);
    refused = true;
    if (allowed > 0) push.call(this, bytes.subarray(0, allowed));
    refuse(connection, scanner, onViolation);
    return false;
  };
  return connection;
}

function refuse(connection: Duplex, scanner: FrameScanner, onViolation: ViolationListener): void {
  const broken = scanner.breach ?? breaches.malformed;
  const violation: GateViolation = { rule: broken.rule, reason: broken.reason };
  if (scanner.clientId !== undefined && scanner.clientId !== '') violation.clientId = scanner.clientId;
  if (scanner.version > 0) violation.version = scanner.version;
  // An MQTT 5 client hears why: CONNACK while it connects, DISCONNECT after [MQTT-3.2.2-7, 3.14].
  let answer: Buffer | undefined;
  if (scanner.version === 5 && broken.v5Code !== undefined) {
    violation.reasonCode = broken.v5Code;
    answer = reasonPacket(scanner.connected ? 0xe0 : 0x20, broken.v5Code, broken.reason, scanner.clientMaximumPacketSize);
  } else if (scanner.version !== 5 && broken.connackCode !== undefined) {
    violation.connackCode = broken.connackCode;
    // [MQTT-3.2.2-5]: a CONNACK with a non-zero code, then the connection closes.
    answer = connack(broken.connackCode);
  }
  try {
    onViolation(violation);
  } catch {
    // A failing listener must not keep a rule-breaking connection open.
  }
  if (answer === undefined) {
    connection.destroy();
    return;
  }
  if (scanner.connected) {
    // aedes may still be writing to this connection: send the DISCONNECT, then cut it off.
    connection.write(answer, () => connection.destroy());
    // A client that does not read must not keep the connection open by never taking the packet.
    setTimeout(() => connection.destroy(), REPLY_GRACE_MS).unref();
    return;
  }
  connection.once('finish', () => connection.destroy());
  connection.end(answer);
}
