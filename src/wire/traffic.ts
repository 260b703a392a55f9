/** One line of the broker's traffic log. */
export type TrafficKind =
  | 'connect'
  | 'disconnect'
  | 'subscribe'
  | 'unsubscribe'
  | 'publish'
  | 'auth-failure'
  | 'denied'
  | 'client-error'
  | 'bad-payload'
  | 'info';

export interface TrafficEntry {
  /** Monotonic sequence number, unique within one run. */
  seq: number;
  /** Epoch milliseconds. */
  time: number;
  kind: TrafficKind;
  clientId: string;
  topic?: string;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  /** Payload size in bytes. */
  size?: number;
  /** Short printable preview of the payload, control characters escaped. */
  preview?: string;
  /** Human sentence for errors, denials and info lines. */
  detail?: string;
  /**
   * The broker limit the line is about, by its key (maxConnections, drainTimeoutMs...), so the
   * program can name the setting that changes it; the broker itself knows no flags.
   */
  limit?: string;
  /** On connect lines: the protocol the client speaks ('MQTT 5', 'MQTT 3.1.1', 'MQTT 3.1'). */
  protocol?: string;
  /** The MQTT 5 reason code the broker told the client (DISCONNECT or CONNACK). */
  reasonCode?: number;
  /** An MQTT 5 publish's user properties, as the client sent them (a repeated name keeps every value). */
  userProperties?: Record<string, string | string[]>;
}

/** The protocol name of an MQTT protocol level (3, 4 or 5). */
export function protocolName(level: number): string {
  return level === 5 ? 'MQTT 5' : level === 3 ? 'MQTT 3.1' : 'MQTT 3.1.1';
}

/** A reason code as people read it in the spec: 0x8E. */
export function reasonCodeText(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The MQTT 5 parts of an entry as short words for a log line: protocol, reason code, user properties. */
export function mqtt5Words(entry: TrafficEntry): string[] {
  const words: string[] = [];
  if (entry.protocol !== undefined) words.push(entry.protocol);
  if (entry.reasonCode !== undefined) words.push(`reason ${reasonCodeText(entry.reasonCode)}`);
  if (entry.userProperties !== undefined) {
    const pairs = Object.entries(entry.userProperties).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${k}=${one}`));
    if (pairs.length > 0) words.push(`{${pairs.join(', ')}}`);
  }
  return words;
}

/** A traffic-log line that did not come from a packet: a remark of the home or the broker. */
export interface TrafficNote {
  kind: TrafficKind;
  clientId: string;
  topic?: string;
  detail: string;
}
