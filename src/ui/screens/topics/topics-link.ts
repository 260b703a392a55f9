/**
 * The Topics screen's own MQTT client and its file writer: what it publishes (a message, an empty
 * retained one that deletes) crosses the broker like anyone's and shows in the log; what it
 * writes goes to an NDJSON file whose path it says.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../../../sim/connection.js';
import type { TopicMessage } from '../../../wire/index.js';
import { textOf } from './payload-view.js';

export interface TopicsLinkOptions {
  url: string;
  login?: Login;
  /** Where written files go; the working directory when not given. */
  saveDir?: string;
  clientId?: string;
  now?: () => number;
}

export class TopicsLink {
  readonly clientId: string;
  #client: MqttClient | undefined;

  constructor(private readonly options: TopicsLinkOptions) {
    this.clientId = options.clientId ?? uniqueClientId('topics-screen');
  }

  async start(): Promise<void> {
    this.#client = await openConnection(this.options.url, this.clientId, this.options.login);
  }

  async stop(): Promise<void> {
    await closeConnection(this.#client);
    this.#client = undefined;
  }

  async publish(topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    if (!this.#client?.connected) throw new Error('not connected to the broker');
    await this.#client.publishAsync(topic, payload, { qos, retain });
  }

  /** An empty retained message: the broker forgets the topic's retained one. */
  deleteRetained(topic: string): Promise<void> {
    return this.publish(topic, '', 0, true);
  }

  /** Writes the messages as NDJSON (one JSON object a line) and resolves the file's path. */
  async save(topic: string, what: 'payload' | 'history', messages: readonly TopicMessage[]): Promise<string> {
    const stamp = new Date((this.options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
    const name = `${topic.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80) || 'topic'}-${what}-${stamp}.ndjson`;
    const file = path.resolve(this.options.saveDir ?? process.cwd(), name);
    await writeFile(file, messages.map((message) => `${JSON.stringify(ndjsonLine(topic, message))}\n`).join(''), { flag: 'wx' });
    return file;
  }
}

/** One message as a line: the payload as text when it is text, always as base64 too. */
export function ndjsonLine(topic: string, message: TopicMessage): Record<string, unknown> {
  const text = textOf(message.payload);
  return {
    time: new Date(message.time).toISOString(),
    topic,
    qos: message.qos,
    retain: message.retain,
    clientId: message.clientId,
    size: message.size,
    ...(text === undefined ? {} : { payload: text }),
    payloadBase64: Buffer.from(message.payload).toString('base64'),
    ...(message.size > message.payload.length ? { cut: true } : {}),
  };
}
