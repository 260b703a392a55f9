/**
 * The console's command line, as the course's home-made broker took it, with optional QoS and
 * retain for PUBLISH. Command words are case-insensitive; topics and values are kept as typed.
 */
import { filterProblem } from '../../../wire/index.js';

export type QoS = 0 | 1 | 2;

/** MQTT 5 user properties: a name typed twice keeps both values. */
export type UserProperties = Record<string, string | string[]>;

export type ConsoleCommand =
  | { kind: 'publish'; topic: string; value: string; qos: QoS; retain: boolean; userProperties?: UserProperties }
  | { kind: 'subscribe'; topic: string; qos: QoS }
  | { kind: 'unsubscribe'; topic: string }
  /** version 5 = MQTT 5, 4 = MQTT 3.1.1 (the default). */
  | { kind: 'connect'; version: 4 | 5 }
  | { kind: 'disconnect' };

export type ParsedLine = { ok: true; command: ConsoleCommand } | { ok: false; error: string };

export const USAGE = {
  publish: 'PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>',
  subscribe: 'SUBSCRIBE <topic> [qos]',
  unsubscribe: 'UNSUBSCRIBE <topic>',
  connect: 'CONNECT [-V 5|311]',
  disconnect: 'DISCONNECT',
} as const;

const COMMAND_WORDS = 'PUBLISH, SUBSCRIBE, UNSUBSCRIBE, CONNECT or DISCONNECT';

interface Token {
  text: string;
  /** Where the token ends in the line, so PUBLISH can take the rest of the line as the value. */
  end: number;
}

function tokens(line: string): Token[] {
  return Array.from(line.matchAll(/\S+/g), (match) => ({ text: match[0], end: match.index + match[0].length }));
}

function qosOf(text: string | undefined): QoS | null {
  return text === '0' || text === '1' || text === '2' ? (Number(text) as QoS) : null;
}

const fail = (error: string): ParsedLine => ({ ok: false, error });
const ok = (command: ConsoleCommand): ParsedLine => ({ ok: true, command });

function parsePublish(line: string, words: Token[]): ParsedLine {
  let qos: QoS = 0;
  let retain = false;
  let userProperties: UserProperties | undefined;
  let at = 1;
  // Options come before the topic; a topic may not start with '-' then, which no home topic does.
  for (;;) {
    const word = words[at]?.text;
    if (word === '-r' || word === '--retain') {
      retain = true;
      at += 1;
    } else if (word === '-q' || word === '--qos') {
      const value = qosOf(words[at + 1]?.text);
      if (value === null) return fail(`-q takes a QoS of 0, 1 or 2: ${USAGE.publish}`);
      qos = value;
      at += 2;
    } else if (word === '-u' || word === '--user-property') {
      const pair = words[at + 1]?.text ?? '';
      const eq = pair.indexOf('=');
      if (eq < 1) return fail(`-u takes a user property as name=value (MQTT 5): ${USAGE.publish}`);
      userProperties ??= {};
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const before = userProperties[name];
      userProperties[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
      at += 2;
    } else if (word !== undefined && word.startsWith('-') && word.length > 1) {
      return fail(`PUBLISH knows the options -q, -r and -u, not ${word}: ${USAGE.publish}`);
    } else break;
  }
  const topic = words[at];
  if (topic === undefined || words[at + 1] === undefined) return fail(`PUBLISH needs a topic and a value: ${USAGE.publish}`);
  if (/[+#]/.test(topic.text)) return fail(`A PUBLISH topic cannot hold + or # (those are for SUBSCRIBE): ${USAGE.publish}`);
  const value = line.slice(topic.end).trim();
  return ok({ kind: 'publish', topic: topic.text, value, qos, retain, ...(userProperties ? { userProperties } : {}) });
}

function parseSubscribe(words: Token[]): ParsedLine {
  const [, topic, qosText, extra] = words;
  if (topic === undefined) return fail(`SUBSCRIBE needs a topic: ${USAGE.subscribe}`);
  const qos = qosText === undefined ? 0 : qosOf(qosText.text);
  if (qos === null || extra !== undefined) return fail(`SUBSCRIBE takes a QoS of 0, 1 or 2 after the topic: ${USAGE.subscribe}`);
  const problem = filterProblem(topic.text);
  if (problem) return fail(`Not a topic filter (${problem}): ${USAGE.subscribe}`);
  return ok({ kind: 'subscribe', topic: topic.text, qos });
}

function parseUnsubscribe(words: Token[]): ParsedLine {
  if (words.length !== 2) return fail(`UNSUBSCRIBE needs one topic: ${USAGE.unsubscribe}`);
  const topic = words[1]!.text;
  const problem = filterProblem(topic);
  if (problem) return fail(`Not a topic filter (${problem}): ${USAGE.unsubscribe}`);
  return ok({ kind: 'unsubscribe', topic });
}

const VERSIONS: Record<string, 4 | 5> = { '5': 5, mqttv5: 5, '311': 4, '3.1.1': 4, mqttv311: 4 };

function parseConnect(words: Token[]): ParsedLine {
  if (words.length === 1) return ok({ kind: 'connect', version: 4 });
  const version = VERSIONS[words[2]?.text.toLowerCase() ?? ''];
  if (words[1]?.text !== '-V' || version === undefined || words.length > 3) {
    return fail(`CONNECT takes only a protocol version, -V 5 (MQTT 5) or -V 311 (MQTT 3.1.1): ${USAGE.connect}`);
  }
  return ok({ kind: 'connect', version });
}

/** One typed line to a command, or one sentence saying what is expected. */
export function parseConsoleLine(line: string): ParsedLine {
  const words = tokens(line);
  const first = words[0];
  if (first === undefined) return fail(`Type a command: ${COMMAND_WORDS}.`);
  switch (first.text.toUpperCase()) {
    case 'PUBLISH':
      return parsePublish(line, words);
    case 'SUBSCRIBE':
      return parseSubscribe(words);
    case 'UNSUBSCRIBE':
      return parseUnsubscribe(words);
    case 'CONNECT':
      return parseConnect(words);
    case 'DISCONNECT':
      return words.length === 1 ? ok({ kind: 'disconnect' }) : fail('DISCONNECT takes nothing after it: DISCONNECT');
    default:
      return fail(`Unknown command ${first.text}; use ${COMMAND_WORDS}.`);
  }
}
