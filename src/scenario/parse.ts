/** A scenario file (YAML) read into steps; anything wrong is a ScenarioFileError naming the line. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { filterProblem } from '../wire/index.js';
import { BAD_PAYLOAD_KINDS, ScenarioFileError, type BadPayloadKind, type Scenario, type Step, type StepAction } from './steps.js';

const DEFAULT_WITHIN_MS = 5000;
const DEFAULT_CAR_EVERY_MS = 1000;
const TOP_KEYS = ['name', 'seed', 'carsPerHour', 'steps'];
const VERBS = ['publish', 'expect', 'register', 'arrive', 'leave', 'switch', 'offline', 'online', 'restart', 'bad-payload', 'cars', 'wait'];

/** A checked value and the line it came from, so every complaint names where to look. */
class Field {
  constructor(
    readonly node: Node | null | undefined,
    readonly line: number,
    readonly what: string,
  ) {}

  fail(reason: string): never {
    throw new ScenarioFileError(this.line, reason);
  }

  value(): unknown {
    return this.node === null || this.node === undefined ? undefined : this.node.toJSON();
  }

  string(): string {
    const value = this.value();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string' || value === '') this.fail(`${this.what} must be text`);
    return value;
  }

  number(): number {
    const value = this.value();
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${this.what} must be a number`);
    return value;
  }

  /** A time: a number of seconds, or numbers with ms, s, m or h ("500ms", "10s", "2m", "9m30s"). */
  duration(): number {
    const value = this.value();
    if (typeof value === 'number' && value >= 0) return Math.round(value * 1000);
    const part = /(\d+(?:\.\d+)?)\s*(ms|min|m|s|h)/gi;
    if (typeof value !== 'string' || !/^\s*(?:\d+(?:\.\d+)?\s*(?:ms|min|m|s|h)\s*)+$/i.test(value)) {
      this.fail(`${this.what} must be a time such as 500ms, 10s, 2m or 9m30s, not ${JSON.stringify(value)}`);
    }
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
    let ms = 0;
    for (const match of value.matchAll(part)) ms += Number(match[1]) * unit[match[2]!.toLowerCase()]!;
    return Math.round(ms);
  }

  /** The fields of a mapping, each checked against the names it may have. */
  map(allowed: string[]): Map<string, Field> {
    if (!isMap(this.node)) this.fail(`${this.what} must be a mapping such as { ${allowed.slice(0, 2).map((key) => `${key}: ...`).join(', ')} }`);
    const fields = new Map<string, Field>();
    for (const pair of this.node.items as Array<Pair<Node, Node>>) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const line = lineOf(pair.key ?? pair.value) ?? this.line;
      if (!allowed.includes(key)) throw new ScenarioFileError(line, `${this.what} has no field "${key}" (it takes ${allowed.join(', ')})`);
      fields.set(key, new Field(pair.value, lineOf(pair.value) ?? line, `${this.what}'s ${key}`));
    }
    return fields;
  }
}

let lines: LineCounter;
const lineOf = (node: Node | null | undefined): number | undefined => (node?.range ? lines.linePos(node.range[0]).line : undefined);

export function parseScenario(text: string): Scenario {
  lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new ScenarioFileError(lines.linePos(error.pos[0]).line, `not valid YAML (${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`);
  const top = new Field(doc.contents, lineOf(doc.contents) ?? 1, 'the scenario').map(TOP_KEYS);
  const name = top.get('name')?.string() ?? new Field(doc.contents, 1, 'the scenario').fail('the scenario needs a name: (name: morning)');
  const stepsField = top.get('steps') ?? new Field(doc.contents, 1, 'the scenario').fail('the scenario needs steps: a list of steps');
  const list = stepsField.node;
  if (!isSeq(list) || list.items.length === 0) throw new ScenarioFileError(stepsField.line, 'steps must be a list of steps, each starting with "- at: 0s"');
  let previousAt = 0;
  const steps = (list.items as Node[]).map((node, i) => {
    const step = parseStep(node, i + 1, previousAt);
    previousAt = step.atMs;
    return step;
  });
  steps.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const seed = top.get('seed')?.number() ?? 1;
  const carsPerHour = top.get('carsPerHour')?.number() ?? 0;
  if (carsPerHour < 0) top.get('carsPerHour')!.fail('carsPerHour must not be negative');
  return { name, seed, carsPerHour, steps };
}

function parseStep(node: Node, index: number, previousAt: number): Step {
  const stepField = new Field(node, lineOf(node) ?? 1, `step ${index}`);
  const fields = stepField.map(['at', ...VERBS]);
  const verbs = [...fields.keys()].filter((key) => key !== 'at');
  if (verbs.length !== 1) stepField.fail(`step ${index} must have exactly one of ${VERBS.join(', ')} (it has ${verbs.length === 0 ? 'none' : verbs.join(' and ')})`);
  const verb = verbs[0]!;
  // A step without `at` comes right after the one before.
  const atMs = fields.get('at')?.duration() ?? previousAt;
  return { ...actionOf(verb, new Field(fields.get(verb)!.node, fields.get(verb)!.line, verb)), index, line: stepField.line, atMs };
}

function actionOf(verb: string, field: Field): StepAction {
  switch (verb) {
    case 'publish': {
      const f = field.map(['topic', 'payload', 'qos', 'retain']);
      const payload = f.get('payload')?.value() ?? '';
      return {
        verb,
        topic: topicOf(f.get('topic'), field, false),
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
        qos: qosOf(f.get('qos')),
        retain: booleanOf(f.get('retain')),
      };
    }
    case 'expect': {
      const f = field.map(['topic', 'payload', 'json', 'within', 'not']);
      if (f.has('payload') && f.has('json')) field.fail('expect takes payload (the exact text) or json (fields it must have), not both');
      const payload = f.get('payload')?.value();
      return {
        verb,
        topic: topicOf(f.get('topic'), field, true),
        ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
        ...(f.has('json') ? { json: f.get('json')!.value() } : {}),
        withinMs: f.get('within')?.duration() ?? DEFAULT_WITHIN_MS,
        not: booleanOf(f.get('not')),
      };
    }
    case 'register': {
      const f = field.map(['name', 'celsius']);
      return { verb, name: required(f, 'name', field).string(), celsius: required(f, 'celsius', field).number() };
    }
    case 'arrive':
    case 'leave':
      return { verb, name: field.string() };
    case 'switch': {
      const f = field.map(['device', 'to']);
      const to = required(f, 'to', field).string().toUpperCase();
      if (to !== 'ON' && to !== 'OFF') return f.get('to')!.fail("switch's to must be ON or OFF");
      return { verb, device: required(f, 'device', field).string(), to };
    }
    case 'offline':
    case 'online':
      return { verb, device: field.string() };
    case 'restart':
      if (field.value() !== 'broker') field.fail('restart can only restart the broker (restart: broker)');
      return { verb, what: 'broker' };
    case 'bad-payload': {
      const f = field.map(['topic', 'kind']);
      const kind = required(f, 'kind', field).string();
      if (!BAD_PAYLOAD_KINDS.includes(kind as BadPayloadKind)) f.get('kind')!.fail(`bad-payload's kind must be one of ${BAD_PAYLOAD_KINDS.join(', ')}`);
      return { verb, topic: topicOf(f.get('topic'), field, false), kind: kind as BadPayloadKind };
    }
    case 'cars': {
      const f = field.map(['lot', 'enter', 'exit', 'every']);
      if (f.has('enter') === f.has('exit')) field.fail('cars takes enter: N or exit: N');
      const passage = f.has('enter') ? 'entry' : 'exit';
      const count = f.get(passage === 'entry' ? 'enter' : 'exit')!;
      const n = count.number();
      if (!Number.isInteger(n) || n < 1) count.fail('the number of cars must be a whole number from 1');
      return { verb, lot: f.get('lot')?.string() ?? 'main', passage, count: n, everyMs: f.get('every')?.duration() ?? DEFAULT_CAR_EVERY_MS };
    }
    case 'wait':
      return { verb, forMs: field.duration() };
  }
  return field.fail(`unknown verb ${verb}`);
}

function required(fields: Map<string, Field>, key: string, parent: Field): Field {
  return fields.get(key) ?? parent.fail(`${parent.what} needs ${key}:`);
}

function topicOf(field: Field | undefined, parent: Field, filter: boolean): string {
  const topic = (field ?? parent.fail(`${parent.what} needs topic:`)).string();
  const problem = filter ? filterProblem(topic) : /[+#]/.test(topic) ? 'a topic to publish to has no + or #' : undefined;
  if (problem) field!.fail(`${parent.what}'s topic "${topic}": ${problem}`);
  return topic;
}

function qosOf(field: Field | undefined): 0 | 1 | 2 {
  const qos = field?.value() ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) return field!.fail('qos must be 0, 1 or 2');
  return qos;
}

function booleanOf(field: Field | undefined): boolean {
  const value = field?.value() ?? false;
  if (typeof value !== 'boolean') return field!.fail(`${field!.what} must be true or false`);
  return value;
}
