import { mqtt5Words, type TrafficEntry } from './wire/traffic.js';

/** One traffic-log entry as a line for people: time, kind, client, topic, QoS, retain, size, preview. */
export function formatEntry(entry: TrafficEntry): string {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const parts = [time, entry.kind.padEnd(12), entry.clientId];
  if (entry.topic !== undefined) parts.push(entry.topic);
  if (entry.qos !== undefined) parts.push(`q${entry.qos}${entry.retain ? ' retained' : ''}`);
  if (entry.size !== undefined) parts.push(`${entry.size}B`);
  parts.push(...mqtt5Words(entry));
  if (entry.preview !== undefined && entry.preview !== '') parts.push(entry.preview);
  if (entry.detail !== undefined) parts.push(`- ${entry.detail}`);
  return parts.join('  ');
}

/** Writes batches of entries to a stream, one line each (NDJSON with json). */
export function createLogPrinter(out: NodeJS.WritableStream, json: boolean) {
  return (entries: TrafficEntry[]): void => {
    if (entries.length === 0) return;
    let text = '';
    for (const entry of entries) text += (json ? JSON.stringify(entry) : formatEntry(entry)) + '\n';
    out.write(text);
  };
}
