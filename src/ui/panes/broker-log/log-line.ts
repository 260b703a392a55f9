import { mqtt5Words, type TrafficEntry, type TrafficKind } from '../../../wire/traffic.js';
import { clockTime } from '../../clock.js';
import { fit, printable } from '../../printable.js';

const KIND_WIDTH = 12;
const CLIENT_WIDTH = 16;

/** Entries a person should notice: red for broken input, yellow for refusals. */
export function kindColor(kind: TrafficKind): 'red' | 'yellow' | undefined {
  if (kind === 'bad-payload' || kind === 'client-error' || kind === 'auth-failure') return 'red';
  if (kind === 'denied') return 'yellow';
  return undefined;
}

export interface LogLineParts {
  time: string;
  kind: string;
  client: string;
  rest: string;
}

/** One entry as columns: time, kind, client, then topic, QoS, retain flag and payload or detail. */
export function logLine(entry: TrafficEntry): LogLineParts {
  const parts: string[] = [];
  if (entry.topic !== undefined) parts.push(printable(entry.topic));
  if (entry.qos !== undefined) parts.push(`q${entry.qos}`);
  if (entry.retain) parts.push('R');
  for (const word of mqtt5Words(entry)) parts.push(printable(word));
  // An error's sentence first, then the payload it was about.
  const detail = entry.detail ? printable(entry.detail) : '';
  const preview = entry.preview !== undefined ? printable(entry.preview) : '';
  if (detail && preview) parts.push(`${detail}: ${preview}`);
  else if (detail || preview) parts.push(detail || preview);
  return {
    time: clockTime(entry.time),
    kind: fit(entry.kind, KIND_WIDTH),
    client: fit(printable(entry.clientId), CLIENT_WIDTH),
    rest: parts.join(' '),
  };
}
