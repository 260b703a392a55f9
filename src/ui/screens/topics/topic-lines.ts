/** The Topics screen's lines as plain text, so what a person reads is tested without rendering. */
import { propertyLines, type ClientView, type Talker, type TopicDetail, type TopicRow } from '../../../wire/topic-view.js';
import { clockTime, span } from '../../clock.js';
import { fit, printable } from '../../printable.js';
import { sparkline, scaleOf } from '../../sparkline.js';
import { ago, bytes, diffLines, kindOf, numericFields, payloadLines, seriesOf, textOf } from './payload-view.js';

/** A node with a message this recently gets the activity mark. */
export const RECENT_MS = 2_000;

/** "12.5/s", "980/s", "3.2k/s"; '' when quiet. */
export function rate(perSecond: number): string {
  if (perSecond <= 0) return '';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  if (perSecond < 10_000) return `${Math.round(perSecond)}/s`;
  return `${(perSecond / 1000).toFixed(1)}k/s`;
}

/** One tree row: fold mark, name, then count, rate, retained mark and activity mark at the right. */
export function treeLine(row: TopicRow, width: number, now: number): string {
  const fold = row.hasChildren ? (row.expanded ? '▾ ' : '▸ ') : '  ';
  const marks = `${row.retained ? 'R' : ' '}${now - row.lastAt < RECENT_MS && row.lastAt > 0 ? '•' : ' '}`;
  const right = ` ${String(row.count).padStart(7)} ${rate(row.perSecond).padStart(7)} ${marks}`;
  // A leading '/' makes an empty first level; it still needs a name to be seen.
  const label = `${'  '.repeat(row.depth)}${fold}${row.name === '' ? "''" : printable(row.name)}${row.hasChildren && !row.expanded ? ` (${row.topics})` : ''}`;
  return `${fit(label, Math.max(1, width - right.length))}${right}`;
}

export interface DetailParts {
  head: string[];
  payload: string[];
  diff: string[];
  graph: string[];
  history: string[];
}

/** The selected topic's detail in parts the screen fits into its height. */
export function detailParts(detail: TopicDetail, width: number, now: number, field: number, embedded: boolean): DetailParts {
  const last = detail.last;
  const head = [printable(detail.topic)];
  if (last) {
    const from = last.clientId !== '' ? `from ${printable(last.clientId)}` : embedded ? 'from the broker' : 'publisher unknown';
    const size = last.size > last.payload.length ? `${bytes(last.size)} (first ${bytes(last.payload.length)} kept)` : bytes(last.size);
    head.push(`${ago(now - last.time)} · ${size} · ${kindOf(last.payload)} · ${from}`);
    head.push(`QoS ${last.qos} · ${detail.retained ? 'retained' : 'not retained'} · ${detail.count} msgs · ${rate(detail.perSecond) || '0/s'}`);
    if (last.properties) head.push(...propertyLines(last.properties).map((line) => printable(line)));
  } else head.push(detail.retained ? 'retained' : 'no message yet', `${detail.count} msgs`);

  const payload = last ? payloadLines(last.payload, width) : [];
  const previous = detail.history.length >= 2 ? detail.history[detail.history.length - 2] : undefined;
  const diff = last && previous ? diffLines(previous.payload, last.payload) : [];

  const fields = numericFields(last?.payload);
  const graph: string[] = [];
  if (fields.length > 0) {
    const name = fields[field % fields.length]!;
    const values = seriesOf(detail.history, name);
    const scale = scaleOf(values);
    const label = name === '' ? 'value' : name;
    graph.push(`${fit(printable(label), Math.min(20, width))}${fields.length > 1 ? ` (g: ${field % fields.length + 1}/${fields.length})` : ''}`);
    graph.push(`${sparkline(values, Math.max(1, width - 24), scale)} min ${num(scale.min)} max ${num(scale.max)}`);
  }

  const history = [...detail.history].reverse().map((message) => {
    const text = textOf(message.payload);
    const shown = text === undefined ? `${bytes(message.size)} binary` : printable(text.replace(/\s+/g, ' '));
    return fit(`${clockTime(message.time)} ${shown}`, width);
  });
  return { head, payload, diff, graph, history };
}

function num(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** The parts cut to `rows` lines: the head, the payload (scrolled), then what else fits. */
export function fitDetail(parts: DetailParts, rows: number, scroll: number): string[] {
  const out = [...parts.head];
  const rest = () => rows - out.length;
  const extras = (parts.diff.length > 0 ? Math.min(3, parts.diff.length + 1) : 0) + (parts.graph.length > 0 ? 3 : 0) + (parts.history.length > 0 ? 3 : 0);
  // The payload comes first on a small screen; the rest shares what is left.
  const payloadRoom = Math.max(2, Math.min(parts.payload.length + 1, Math.max(rest() - extras, Math.floor(rest() * 0.6))));
  if (parts.payload.length > 0 && rest() > 1) {
    const from = Math.min(scroll, Math.max(0, parts.payload.length - (payloadRoom - 1)));
    const more = parts.payload.length - from - (payloadRoom - 1);
    out.push(`── payload${from > 0 || more > 0 ? ` (lines ${from + 1}-${Math.min(parts.payload.length, from + payloadRoom - 1)} of ${parts.payload.length}, j/k)` : ''}`);
    out.push(...parts.payload.slice(from, from + payloadRoom - 1));
  }
  if (parts.diff.length > 0 && rest() > 1) {
    out.push('── changed');
    out.push(...parts.diff.slice(0, Math.min(2, rest())));
  }
  if (parts.graph.length > 0 && rest() > 2) out.push('── graph', ...parts.graph);
  if (parts.history.length > 0 && rest() > 1) {
    out.push(`── last ${parts.history.length} messages`);
    out.push(...parts.history.slice(0, rest()));
  }
  return out.slice(0, rows);
}

/** One client in the list. */
export function clientLine(client: ClientView, width: number): string {
  // A narrow list keeps the id readable; the counts are in the detail beside it.
  const right =
    width < 50
      ? ` ${rate(client.perSecond).padStart(7)}`
      : ` v${protocolName(client.protocol)} ${String(client.messagesIn).padStart(6)}↑ ${String(client.messagesOut).padStart(6)}↓ ${rate(client.perSecond).padStart(7)}`;
  return `${fit(printable(client.id), Math.max(1, width - right.length))}${right}`;
}

function protocolName(version: number): string {
  return version === 5 ? '5' : version === 4 ? '3.1.1' : version === 3 ? '3.1' : String(version);
}

/** The selected client whole. */
export function clientDetail(client: ClientView, now: number): string[] {
  return [
    printable(client.id),
    `user ${client.user === '' ? '(none)' : printable(client.user)} · MQTT ${protocolName(client.protocol)} · ${client.address || 'address unknown'}`,
    `keepalive ${client.keepaliveS} s · connected ${client.connectedAt > 0 ? `${span(now - client.connectedAt)} ago` : '?'}`,
    `messages in ${client.messagesIn} · out ${client.messagesOut} · ${rate(client.perSecond) || '0/s'}`,
    `queued ${bytes(client.queuedBytes)}${client.inflight === undefined ? '' : ` · QoS 2 in flight ${client.inflight}`}`,
    `subscriptions (${client.subscriptions.length}):`,
    ...client.subscriptions.map((filter) => `  ${printable(filter)}`),
  ];
}

export function talkerLines(title: string, talkers: readonly Talker[] | undefined, width: number): string[] {
  if (!talkers || talkers.length === 0) return [`${title}: quiet`];
  return [`${title}:`, ...talkers.map((t) => `${fit(`  ${printable(t.name)}`, Math.max(1, width - 9))} ${rate(t.perSecond).padStart(8)}`)];
}
