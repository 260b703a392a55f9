/**
 * `smart-home-tui replay FILE`: a recording published again with its timing (or --speed times
 * faster), to a fresh embedded broker or an outside one, with a progress line on stderr.
 */
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { ReplayCommand } from './record-options.js';
import { parseRecording, recordedPayload, topicMatches, type RecordedMessage } from './wire/index.js';
import { uniqueClientId } from './sim/connection.js';
import type { BrokerHandle } from './broker/embedded.js';

export interface ReplayIo {
  stderr: NodeJS.WriteStream;
  /** Resolves when the person asks to stop (Ctrl-C). */
  stopped: Promise<void>;
}

const PROGRESS_TTY_MS = 250;
const PROGRESS_LOG_MS = 5000;

/** The messages to play, in order: what `--from` skips, except each retained topic's last state, comes first at once. */
export function replayPlan(messages: RecordedMessage[], fromMs: number, topics: string[] | undefined): RecordedMessage[] {
  const wanted = topics ? messages.filter((m) => topics.some((filter) => topicMatches(filter, m.topic))) : messages;
  const before = new Map<string, RecordedMessage>();
  const after: RecordedMessage[] = [];
  for (const message of wanted) {
    if (message.ms >= fromMs) after.push({ ...message, ms: message.ms - fromMs });
    else if (message.retain) before.set(message.topic, { ...message, ms: 0 });
  }
  return [...before.values(), ...after];
}

export function clockText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}

export async function runReplay(command: ReplayCommand, io: ReplayIo): Promise<number> {
  const say = (sentence: string) => io.stderr.write(`smart-home-tui: ${sentence}\n`);
  let text: string;
  try {
    text = await readFile(command.file, 'utf8');
  } catch (error) {
    say(`cannot read the recording ${command.file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    return 2;
  }
  const parsed = parseRecording(text);
  if (!parsed.ok) {
    say(`${command.file} line ${parsed.line} is not a recorded message: ${parsed.reason}.`);
    return 2;
  }
  const plan = replayPlan(parsed.messages, command.fromMs, command.topics);
  if (plan.length === 0) {
    say(parsed.messages.length === 0 ? `${command.file} holds no messages.` : `no message of ${command.file} is left to play after --from and --topics.`);
    return 2;
  }

  let broker: BrokerHandle | undefined;
  if (!command.brokerUrl) {
    const { startBrokerThread } = await import('./broker/thread.js');
    const { BrokerError, brokerErrorSentence } = await import('./broker/embedded.js');
    try {
      broker = await startBrokerThread({ port: command.port, host: command.host });
    } catch (error) {
      if (!(error instanceof BrokerError)) throw error;
      say(brokerErrorSentence(error.code, error.port, error.host, error.listener, (key) => (key === 'port' ? '--port' : key)));
      return 1;
    }
  }
  const url = broker?.url ?? command.brokerUrl!;
  let client: MqttClient;
  try {
    // MQTT 5 only when the recording has properties to send again.
    const v5 = plan.some((message) => Object.keys(publishProperties(message) ?? {}).length > 0);
    client = await mqtt.connectAsync(url, { clientId: uniqueClientId('replay'), reconnectPeriod: 1000, connectTimeout: 5000, ...(v5 ? { protocolVersion: 5 } : {}) }, false);
    client.on('error', () => {});
  } catch (error) {
    say(`cannot reach the MQTT broker at ${url} (${error instanceof Error ? error.message : String(error)}).`);
    await broker?.close();
    return 1;
  }
  say(`replaying ${plan.length} messages of ${command.file} to ${url}${command.speed === 1 ? '' : ` at x${command.speed}`}${command.loop ? ', looping' : ''}`);

  let stop = false;
  void io.stopped.then(() => (stop = true));
  let sent = 0;
  do {
    sent += await playOnce(plan, command.speed, client, io, () => stop);
  } while (command.loop && !stop);
  await client.endAsync();
  await broker?.close();
  say(`replay ${stop ? 'stopped' : 'done'}: ${sent} messages sent.`);
  return 0;
}

/** One pass over the plan; resolves to the messages sent. */
async function playOnce(plan: RecordedMessage[], speed: number, client: MqttClient, io: ReplayIo, stopped: () => boolean): Promise<number> {
  const started = Date.now();
  const total = plan.at(-1)!.ms;
  const tty = io.stderr.isTTY === true;
  let lastProgress = 0;
  let index = 0;
  const progress = (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastProgress < (tty ? PROGRESS_TTY_MS : PROGRESS_LOG_MS)) return;
    lastProgress = now;
    const at = Math.min(total, (now - started) * speed);
    const line = `replay: ${index}/${plan.length} messages, ${clockText(at)} of ${clockText(total)}, ETA ${clockText((total - at) / speed)}`;
    io.stderr.write(tty ? `\r${line}\u001b[K${final ? '\n' : ''}` : `${line}\n`);
  };
  let wake: () => void = () => {};
  let sending = 0;
  let allSent: () => void = () => {};
  void io.stopped.then(() => wake());
  while (index < plan.length && !stopped()) {
    const message = plan[index]!;
    const wait = started + message.ms / speed - Date.now();
    if (wait > 1) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(wait, PROGRESS_TTY_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      progress(false);
      continue;
    }
    sending++;
    const properties = publishProperties(message);
    client.publish(message.topic, recordedPayload(message), { qos: message.qos, retain: message.retain, ...(properties ? { properties } : {}) }, () => {
      if (--sending === 0) allSent();
    });
    index++;
    // A burst of messages due at once still lets Ctrl-C and the socket through.
    if (index % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // Every message handed over (QoS 0) or acknowledged (QoS 1 and 2) before the line says so.
  if (sending > 0) await new Promise<void>((resolve) => (allSent = resolve));
  progress(true);
  return index;
}

/** The MQTT 5 properties a client may publish with, from a recorded message; undefined = none. */
export function publishProperties(message: RecordedMessage): IClientPublishOptions['properties'] {
  const p = message.properties;
  const out: NonNullable<IClientPublishOptions['properties']> = {};
  if (typeof p.payloadFormatIndicator === 'boolean') out.payloadFormatIndicator = p.payloadFormatIndicator;
  if (typeof p.messageExpiryInterval === 'number') out.messageExpiryInterval = p.messageExpiryInterval;
  if (typeof p.contentType === 'string') out.contentType = p.contentType;
  if (typeof p.responseTopic === 'string') out.responseTopic = p.responseTopic;
  if (typeof p.correlationData === 'string') out.correlationData = Buffer.from(p.correlationData, 'base64');
  if (typeof p.userProperties === 'object' && p.userProperties !== null) out.userProperties = p.userProperties as Record<string, string | string[]>;
  return Object.keys(out).length === 0 ? undefined : out;
}
