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
}

/** A traffic-log line that did not come from a packet: a remark of the home or the broker. */
export interface TrafficNote {
  kind: TrafficKind;
  clientId: string;
  topic?: string;
  detail: string;
}
