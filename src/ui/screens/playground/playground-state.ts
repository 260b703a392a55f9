/**
 * What the Playground screen shows: the course's three producers, its three consumers and the
 * authorized demo. Built from what the screen's clients did and heard; the reducer is pure.
 */
import { clockTime } from '../../clock.js';
import { printable } from '../../printable.js';

export type ProducerKind = 'simple' | 'json' | 'device';

export const PRODUCER_KINDS: readonly ProducerKind[] = ['simple', 'json', 'device'];

/** Rates a producer steps through with + and -: the course's 1 Hz in the middle. */
export const RATES_HZ: readonly number[] = [0.2, 0.5, 1, 2, 5, 10, 20];

export const FIRST_RATE_HZ = 1;

/** The next rate up (+1) or down (-1), staying within 0.2..20 Hz. */
export function stepRate(rateHz: number, by: 1 | -1): number {
  if (by === 1) return RATES_HZ.find((rate) => rate > rateHz) ?? RATES_HZ[RATES_HZ.length - 1]!;
  return [...RATES_HZ].reverse().find((rate) => rate < rateHz) ?? RATES_HZ[0]!;
}

export function rateText(rateHz: number): string {
  return `${rateHz} Hz`;
}

export interface ProducerView {
  kind: ProducerKind;
  /** Where it publishes. */
  topic: string;
  running: boolean;
  rateHz: number;
  sent: number;
  last?: number;
  error?: string;
}

export interface HeardLine {
  time: number;
  text: string;
}

export interface DecodeError {
  time: number;
  topic: string;
  preview: string;
  reason: string;
}

export interface ConsumerView {
  name: string;
  filters: readonly string[];
  heard: HeardLine[];
  count: number;
  error?: DecodeError;
  /** Why this consumer is not listening (it could not connect). */
  down?: string;
}

export type DemoTone = 'pending' | 'good' | 'bad' | 'warn';

export interface DemoStep {
  id: string;
  text: string;
  tone: DemoTone;
}

export interface AuthorizedView {
  /** Whether the program's own clients log in, i.e. the embedded broker checks logins. */
  brokerChecksLogins: boolean;
  steps: DemoStep[];
}

export interface PlaygroundState {
  producers: ProducerView[];
  consumers: ConsumerView[];
  authorized: AuthorizedView;
}

export type ProducerChange = Partial<Omit<ProducerView, 'kind' | 'topic'>>;

export type PlaygroundAction =
  | { type: 'producer'; kind: ProducerKind; change: ProducerChange }
  | { type: 'published'; kind: ProducerKind; value: number }
  | { type: 'heard'; consumer: string; time: number; text: string }
  | { type: 'decode-error'; consumer: string; error: DecodeError }
  | { type: 'consumer-down'; consumer: string; reason: string }
  | { type: 'demo-step'; step: DemoStep };

/** Decoded lines each consumer keeps; the pane shows as many as fit. */
export const HEARD_LINES = 20;

export function playgroundReducer(state: PlaygroundState, action: PlaygroundAction): PlaygroundState {
  switch (action.type) {
    case 'producer':
      return { ...state, producers: state.producers.map((p) => (p.kind === action.kind ? { ...p, ...action.change } : p)) };
    case 'published':
      return {
        ...state,
        producers: state.producers.map((p) => (p.kind === action.kind ? { ...p, sent: p.sent + 1, last: action.value, error: undefined } : p)),
      };
    case 'heard':
      return {
        ...state,
        consumers: state.consumers.map((c) =>
          c.name === action.consumer
            ? { ...c, count: c.count + 1, heard: [...c.heard.slice(-(HEARD_LINES - 1)), { time: action.time, text: action.text }] }
            : c,
        ),
      };
    case 'decode-error':
      return { ...state, consumers: state.consumers.map((c) => (c.name === action.consumer ? { ...c, error: action.error } : c)) };
    case 'consumer-down':
      return { ...state, consumers: state.consumers.map((c) => (c.name === action.consumer ? { ...c, down: action.reason } : c)) };
    case 'demo-step': {
      const steps = state.authorized.steps;
      const at = steps.findIndex((step) => step.id === action.step.id);
      const next = at === -1 ? [...steps, action.step] : steps.map((step, i) => (i === at ? action.step : step));
      return { ...state, authorized: { ...state.authorized, steps: next } };
    }
  }
}

export function heardText(line: HeardLine): string {
  return `${clockTime(line.time)} ${line.text}`;
}

/** The topic is named only where the consumer's filter has wildcards; otherwise it is the one on the pane. */
export function decodeErrorText(error: DecodeError, withTopic: boolean): string {
  const where = withTopic ? ` on ${printable(error.topic)}` : '';
  return `✗ ${clockTime(error.time)} "${error.preview}"${where}: ${error.reason}`;
}
