/**
 * `--record FILE`: every message the broker routes, one JSON object a line. The publish
 * handler only keeps a reference to the message; lines are made and written in batches, so
 * recording costs the routing of a message next to nothing. The file is bounded by size.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { recordLine, type RecordedMessage } from '../wire/recording.js';

export interface RecordOptions {
  file: string;
  /** The file stops growing before it passes this many bytes. */
  maxBytes: number;
}

interface Pending {
  time: number;
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  clientId: string | null;
  properties?: Record<string, unknown>;
}

const BATCH_MS = 50;

export class Recorder {
  readonly #started = Date.now();
  readonly #out: WriteStream;
  #pending: Pending[] = [];
  #bytes = 0;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  /** `remark` gets the one sentence saying the recording stopped (full, or the file failed). */
  constructor(
    private readonly opts: RecordOptions,
    private readonly remark: (detail: string) => void,
  ) {
    this.#out = createWriteStream(opts.file, { flags: 'w' });
    this.#out.on('error', (error) => this.#stop(`The recording in ${opts.file} stopped: ${error.message}.`));
  }

  /** A routed message; broker-made messages (wills) have no client id; MQTT 5 properties when the packet has them. */
  add(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, clientId: string | undefined, properties?: Record<string, unknown>): void {
    if (this.#stopped) return;
    this.#pending.push({ time: Date.now(), topic, payload, qos, retain, clientId: clientId ?? null, ...(properties ? { properties } : {}) });
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), BATCH_MS);
      this.#timer.unref();
    }
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#flush();
    this.#stopped = true;
    if (this.#out.closed || this.#out.destroyed) return;
    await new Promise<void>((resolve) => this.#out.end(() => resolve()));
  }

  #flush(): void {
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (this.#stopped || batch.length === 0) return;
    let text = '';
    for (const message of batch) {
      const line = recordLine(toRecorded(message, this.#started)) + '\n';
      const size = Buffer.byteLength(line);
      if (this.#bytes + size > this.opts.maxBytes) {
        this.#out.write(text);
        this.#stop(`The recording in ${this.opts.file} stopped at ${this.#bytes} bytes, its size limit; later messages are not recorded.`);
        return;
      }
      this.#bytes += size;
      text += line;
    }
    this.#out.write(text);
  }

  #stop(sentence: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#pending = [];
    this.remark(sentence);
  }
}

function toRecorded(message: Pending, started: number): RecordedMessage {
  const text = isUtf8(message.payload);
  return {
    ms: message.time - started,
    time: new Date(message.time).toISOString(),
    topic: message.topic,
    payload: message.payload.toString(text ? 'utf8' : 'base64'),
    ...(text ? {} : { encoding: 'base64' as const }),
    qos: message.qos,
    retain: message.retain,
    clientId: message.clientId,
    properties: jsonProperties(message.properties),
  };
}

/** MQTT 5 properties as JSON: binary ones (correlation data) in base64. */
function jsonProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!properties) return {};
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, Buffer.isBuffer(value) ? value.toString('base64') : value]));
}
