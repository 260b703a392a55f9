/**
 * The recording format (`--record FILE`, `replay FILE`): NDJSON, one routed message a line.
 *
 *   {"ms":1520,"time":"2026-01-01T12:00:01.520Z","topic":"sensor/temperature","payload":"30.5",
 *    "qos":0,"retain":false,"clientId":"sht-thermostat-1a2b3c","properties":{}}
 *
 * `ms` counts from the start of the recording; `payload` is UTF-8 text, or base64 with
 * `"encoding":"base64"` when the bytes are not UTF-8; `clientId` is null for messages the broker
 * made itself (wills); `properties` holds the MQTT 5 properties of the publish (binary ones in
 * base64), empty for MQTT 3.1.1.
 */

export interface RecordedMessage {
  ms: number;
  time: string;
  topic: string;
  payload: string;
  encoding?: 'base64';
  qos: 0 | 1 | 2;
  retain: boolean;
  clientId: string | null;
  properties: Record<string, unknown>;
}

export function recordLine(message: RecordedMessage): string {
  return JSON.stringify(message);
}

/** The bytes of a recorded payload. */
export function recordedPayload(message: RecordedMessage): Buffer {
  return Buffer.from(message.payload, message.encoding === 'base64' ? 'base64' : 'utf8');
}

export type RecordingParse = { ok: true; messages: RecordedMessage[] } | { ok: false; line: number; reason: string };

/** Every line of a recording, checked; the first bad line is named with its number and what is wrong. */
export function parseRecording(text: string): RecordingParse {
  const messages: RecordedMessage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const problem = lineProblem(line, messages.at(-1)?.ms ?? 0);
    if (typeof problem === 'string') return { ok: false, line: i + 1, reason: problem };
    messages.push(problem);
  }
  return { ok: true, messages };
}

function lineProblem(line: string, previousMs: number): RecordedMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'it is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const m = value as Record<string, unknown>;
  if (typeof m.ms !== 'number' || !Number.isFinite(m.ms) || m.ms < 0) return '"ms" must be a number of milliseconds from 0';
  if (m.ms < previousMs) return `"ms" goes back in time (${m.ms} after ${previousMs})`;
  if (typeof m.topic !== 'string' || m.topic === '' || /[+#]/.test(m.topic)) return '"topic" must be a topic without + or #';
  if (typeof m.payload !== 'string') return '"payload" must be a string';
  if (m.encoding !== undefined && m.encoding !== 'base64') return '"encoding" can only be "base64"';
  if (m.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(m.payload)) return '"payload" is not base64';
  const qos = m.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) return '"qos" must be 0, 1 or 2';
  if (m.retain !== undefined && typeof m.retain !== 'boolean') return '"retain" must be true or false';
  return {
    ms: m.ms,
    time: typeof m.time === 'string' ? m.time : '',
    topic: m.topic,
    payload: m.payload,
    ...(m.encoding === 'base64' ? { encoding: 'base64' as const } : {}),
    qos,
    retain: m.retain === true,
    clientId: typeof m.clientId === 'string' ? m.clientId : null,
    properties: typeof m.properties === 'object' && m.properties !== null ? (m.properties as Record<string, unknown>) : {},
  };
}
