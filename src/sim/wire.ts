/**
 * The home's wire format: every topic string and one codec (parse + validate + encode) per
 * payload. Nothing else in the program spells a topic. Shapes follow the original Python apps
 * so their clients work unchanged.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Results and the common first steps of every parse
// ---------------------------------------------------------------------------------------------

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Codec<T> {
  /** Never throws: a bad payload gives `{ok: false, reason}` with a short sentence. */
  parse(payload: Buffer | Uint8Array | string): ParseResult<T>;
  encode(value: T): string;
}

/** Larger payloads are refused before decoding so a flood of junk costs little. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): ParseResult<T> => ({ ok: false, reason });

/** Payload bytes to text: size limit first, then strict UTF-8. */
export function payloadText(payload: Buffer | Uint8Array | string): ParseResult<string> {
  if (typeof payload === 'string') {
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) return fail('payload larger than 64 KiB');
    return ok(payload);
  }
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return fail('payload larger than 64 KiB');
  try {
    return ok(utf8.decode(payload));
  } catch {
    return fail('not valid UTF-8');
  }
}

function parseJson(payload: Buffer | Uint8Array | string): ParseResult<unknown> {
  const text = payloadText(payload);
  if (!text.ok) return text;
  try {
    return ok(JSON.parse(text.value) as unknown);
  } catch {
    return fail('not JSON');
  }
}

/** A JSON codec whose shape is a zod schema with people-worded messages. */
function jsonCodec<S extends z.ZodType, T>(
  schema: S,
  fromWire: (wire: z.output<S>) => ParseResult<T>,
  toWire: (value: T) => unknown,
): Codec<T> {
  return {
    parse(payload) {
      const json = parseJson(payload);
      if (!json.ok) return json;
      const checked = schema.safeParse(json.value);
      if (!checked.success) return fail(checked.error.issues[0]?.message ?? 'payload has the wrong shape');
      return fromWire(checked.data);
    },
    encode: (value) => JSON.stringify(toWire(value)),
  };
}

/** A text codec: the payload is one value written as text. */
function textCodec<T>(fromText: (text: string) => ParseResult<T>, toText: (value: T) => string): Codec<T> {
  return {
    parse(payload) {
      const text = payloadText(payload);
      return text.ok ? fromText(text.value) : text;
    },
    encode: toText,
  };
}

/** zod error option: "x is missing" when absent, "x must be <what>" otherwise. */
const says = (name: string, what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${name} is missing` : `${name} must be ${what}`),
});

const OBJECT = { error: 'payload must be a JSON object' };

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const LETTERS_AND_DIGITS = /^[A-Za-z0-9]+$/;

const finite = (name: string) => z.number(says(name, 'a number')).finite(`${name} must be a finite number`);
const epochSeconds = z.number(says('timestamp', 'a number of seconds')).int('timestamp must be whole seconds');
const onOff = (name: string) => z.enum(['ON', 'OFF'], says(name, '"ON" or "OFF"'));

/** Temperatures as the original apps write them: Python's str(float), "21.5" or "19.0". */
export function formatTemperature(celsius: number): string {
  const rounded = Math.round(celsius * 100) / 100;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/** Epoch seconds, as the course's descriptors carry them. */
export const epochSecondsOf = (ms: number): number => Math.floor(ms / 1000);

// ---------------------------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------------------------

/** One topic level: not empty, no separators or wildcards. */
export function isTopicLevel(text: string): boolean {
  return text.length > 0 && text.length <= 128 && !/[/+#\u0000]/.test(text);
}

export const topics = {
  // Smart thermostat
  userData: 'smart_home/user_data',
  presenceData: 'smart_home/presence_data',
  thermostatState: 'smart_home/thermostat/state',
  /** New here: the door locker's people, retained, so a restarted UI or app knows them. */
  userRoster: 'smart_home/door_locker/users',

  // Playground course
  sensorTemperature: 'sensor/temperature',
  deviceTemperature: 'device/temperature',
  deviceInfo: (deviceId: string) => `device/${deviceId}/info`,
  deviceSensorTemperature: (deviceId: string) => `device/${deviceId}/sensor/temperature`,
  switchTelemetry: (deviceId: string) => `device/${deviceId}/telemetry/switch`,
  temperatureTelemetry: (deviceId: string) => `device/${deviceId}/telemetry/temperature`,
  event: (deviceId: string) => `device/${deviceId}/event`,
  switchAction: (deviceId: string) => `device/${deviceId}/action/switch`,
  /** New here: the controller's pending action, retained, so the UI can show it. */
  controller: (deviceId: string) => `device/${deviceId}/controller`,
  /** The authorized part of the course: a user's own area (leading slash, as the original). */
  userArea: (username: string) => `/iot/user/${username}/#`,
  /** A user's own temperature reading, inside their area. */
  userTemperature: (username: string) => `/iot/user/${username}/temperature`,

  // Login challenge
  login: 'login',
  loginUuid: (clientId: string) => `${clientId}/UUID`,
  challenge: (uuid: string) => uuid,
  challengeReply: (uuid: string, command: ChallengeCommand) => `${uuid}/${command}`,

  // Car park
  carparkEntry: (lot: string) => `carpark/${lot}/entry`,
  carparkExit: (lot: string) => `carpark/${lot}/exit`,
  carparkDisplay: (lot: string) => `carpark/${lot}/display`,
  /** New here: a passage the controller did not count (an entry while FULL, an exit with the lot empty). */
  carparkRefused: (lot: string) => `carpark/${lot}/refused`,
} as const;

/** Subscription filters. */
const allDeviceInfo = 'device/+/info';
const allTelemetry = 'device/+/telemetry/#';
const allEvents = 'device/+/event';
const allControllers = 'device/+/controller';

export const filters = {
  everything: '#',
  allDeviceInfo,
  allDeviceSensors: 'device/+/sensor/#',
  allTemperatureTelemetry: 'device/+/telemetry/temperature',
  allControllers,
  allCarparkPassages: ['carpark/+/entry', 'carpark/+/exit'],
  allCarparkDisplays: 'carpark/+/display',
  allCarparkRefusals: 'carpark/+/refused',
  /** Every client's answer topic of the login challenge. */
  allLoginUuids: '+/UUID',
  /** Every reply of one challenge run (`<uuid>/CMD1` ...). */
  challengeReplies: (uuid: string) => `${uuid}/+`,
  /** What the home's view listens to. */
  home: [
    topics.userData,
    topics.presenceData,
    topics.thermostatState,
    topics.userRoster,
    allDeviceInfo,
    allTelemetry,
    allEvents,
    allControllers,
  ],
} as const;

export type KnownTopic =
  | { kind: 'user-data' }
  | { kind: 'presence-data' }
  | { kind: 'thermostat-state' }
  | { kind: 'user-roster' }
  | { kind: 'sensor-temperature' }
  | { kind: 'device-temperature' }
  | { kind: 'device-info'; deviceId: string }
  | { kind: 'device-sensor-temperature'; deviceId: string }
  | { kind: 'switch-telemetry'; deviceId: string }
  | { kind: 'temperature-telemetry'; deviceId: string }
  | { kind: 'event'; deviceId: string }
  | { kind: 'switch-action'; deviceId: string }
  | { kind: 'controller'; deviceId: string }
  | { kind: 'login' }
  | { kind: 'login-uuid'; clientId: string }
  | { kind: 'challenge'; uuid: string }
  | { kind: 'challenge-reply'; uuid: string; command: ChallengeCommand }
  | { kind: 'carpark-entry'; lot: string }
  | { kind: 'carpark-exit'; lot: string }
  | { kind: 'carpark-display'; lot: string }
  | { kind: 'carpark-refused'; lot: string };

const UUID_LENGTH = 36;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which of the home's topics this is, or null for a topic the home does not use. */
export function matchTopic(topic: string): KnownTopic | null {
  switch (topic) {
    case topics.userData:
      return { kind: 'user-data' };
    case topics.presenceData:
      return { kind: 'presence-data' };
    case topics.thermostatState:
      return { kind: 'thermostat-state' };
    case topics.userRoster:
      return { kind: 'user-roster' };
    case topics.sensorTemperature:
      return { kind: 'sensor-temperature' };
    case topics.deviceTemperature:
      return { kind: 'device-temperature' };
    case topics.login:
      return { kind: 'login' };
  }
  // The broker asks this for every message; a topic outside the home leaves before any split.
  // What is left: device/..., carpark/..., <uuid>, <uuid>/<cmd> and <id>/UUID.
  if (
    !topic.startsWith('device/') &&
    !topic.startsWith('carpark/') &&
    topic.length !== UUID_LENGTH &&
    topic[UUID_LENGTH] !== '/' &&
    !topic.endsWith('/UUID')
  ) {
    return null;
  }
  const levels = topic.split('/');
  if (levels[0] === 'device' && levels.length >= 3 && isTopicLevel(levels[1]!)) {
    const deviceId = levels[1]!;
    const rest = levels.slice(2).join('/');
    switch (rest) {
      case 'info':
        return { kind: 'device-info', deviceId };
      case 'sensor/temperature':
        return { kind: 'device-sensor-temperature', deviceId };
      case 'telemetry/switch':
        return { kind: 'switch-telemetry', deviceId };
      case 'telemetry/temperature':
        return { kind: 'temperature-telemetry', deviceId };
      case 'event':
        return { kind: 'event', deviceId };
      case 'action/switch':
        return { kind: 'switch-action', deviceId };
      case 'controller':
        return { kind: 'controller', deviceId };
    }
    return null;
  }
  if (levels[0] === 'carpark' && levels.length === 3 && isTopicLevel(levels[1]!)) {
    const lot = levels[1]!;
    if (levels[2] === 'entry') return { kind: 'carpark-entry', lot };
    if (levels[2] === 'exit') return { kind: 'carpark-exit', lot };
    if (levels[2] === 'display') return { kind: 'carpark-display', lot };
    if (levels[2] === 'refused') return { kind: 'carpark-refused', lot };
    return null;
  }
  if (levels.length === 1 && UUID.test(topic)) return { kind: 'challenge', uuid: topic };
  const [first = '', second = ''] = levels;
  if (levels.length === 2 && UUID.test(first) && isChallengeCommand(second)) {
    return { kind: 'challenge-reply', uuid: first, command: second };
  }
  if (levels.length === 2 && levels[1] === 'UUID' && isTopicLevel(levels[0]!)) {
    return { kind: 'login-uuid', clientId: levels[0]! };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Smart thermostat
// ---------------------------------------------------------------------------------------------

/** "1" from the registration app, "0" from the door locker, "-1" delete. */
export type AppInfo = '1' | '0' | '-1';

/** One person's record as it travels on user_data and presence_data. */
export type UserRecord =
  | { appInfo: '1' | '0'; userName: string; temperature: number; isHome: boolean }
  | { appInfo: '-1'; userName: string; temperature?: number; isHome?: boolean };

export function isUserName(name: string): boolean {
  return name.length <= 64 && LETTERS_AND_DIGITS.test(name);
}

const userRecordSchema = z.object(
  {
    app_info: z.enum(['1', '0', '-1'], says('app_info', '"1", "0" or "-1"')),
    user_name: z
      .string(says('user_name', 'a string'))
      .regex(LETTERS_AND_DIGITS, 'user_name must be letters and digits')
      .max(64, 'user_name must be at most 64 characters'),
    temperature: z.string(says('temperature', 'a string')).regex(DECIMAL, 'temperature is not a number').optional(),
    is_home: z.enum(['1', '0'], says('is_home', '"1" or "0"')).optional(),
  },
  OBJECT,
);

/** The payload on `smart_home/user_data` and `smart_home/presence_data`: all values strings. */
export const userRecord: Codec<UserRecord> = jsonCodec(
  userRecordSchema,
  (wire) => {
    const temperature = wire.temperature === undefined ? undefined : Number(wire.temperature);
    if (temperature !== undefined && !Number.isFinite(temperature)) return fail('temperature is not a number');
    const isHome = wire.is_home === undefined ? undefined : wire.is_home === '1';
    // A delete needs only the name; the original apps send the whole record anyway.
    if (wire.app_info === '-1') return ok({ appInfo: '-1', userName: wire.user_name, temperature, isHome });
    if (temperature === undefined) return fail('temperature is missing');
    if (isHome === undefined) return fail('is_home is missing');
    return ok({ appInfo: wire.app_info, userName: wire.user_name, temperature, isHome });
  },
  (record) => ({
    app_info: record.appInfo,
    is_home: record.isHome ? '1' : '0',
    temperature: formatTemperature(record.temperature ?? 0),
    user_name: record.userName,
  }),
);

export interface RosterEntry {
  userName: string;
  temperature: number;
  isHome: boolean;
}

/** `{"users":[{"user_name":"alice","temperature":"21.5","is_home":"1"}]}`, registration order. */
export const userRoster: Codec<RosterEntry[]> = jsonCodec(
  z.object(
    {
      users: z.array(
        z.object(
          {
            user_name: z.string(says('user_name', 'a string')).regex(LETTERS_AND_DIGITS, 'user_name must be letters and digits'),
            temperature: z.string(says('temperature', 'a string')).regex(DECIMAL, 'temperature is not a number'),
            is_home: z.enum(['1', '0'], says('is_home', '"1" or "0"')),
          },
          { error: 'each user must be a JSON object' },
        ),
        says('users', 'a list'),
      ),
    },
    OBJECT,
  ),
  (wire) => ok(wire.users.map((u) => ({ userName: u.user_name, temperature: Number(u.temperature), isHome: u.is_home === '1' }))),
  (entries) => ({
    users: entries.map((e) => ({ user_name: e.userName, temperature: formatTemperature(e.temperature), is_home: e.isHome ? '1' : '0' })),
  }),
);

export interface ThermostatState {
  setpoint: number;
  /** Whom the setpoint is for; null = nobody home, the default setpoint. */
  forUser: string | null;
  /** People at home, in arrival order. */
  queue: string[];
  roomTemperature: number;
  heating: boolean;
  /** Epoch seconds. */
  timestamp: number;
}

export const thermostatState: Codec<ThermostatState> = jsonCodec(
  z.object(
    {
      setpoint: finite('setpoint'),
      for_user: z.string(says('for_user', 'a name or null')).nullable(),
      queue: z.array(z.string(says('queue entry', 'a name')), says('queue', 'a list of names')),
      room_temperature: finite('room_temperature'),
      heating: z.boolean(says('heating', 'true or false')),
      timestamp: epochSeconds,
    },
    OBJECT,
  ),
  (wire) =>
    ok({
      setpoint: wire.setpoint,
      forUser: wire.for_user,
      queue: wire.queue,
      roomTemperature: wire.room_temperature,
      heating: wire.heating,
      timestamp: wire.timestamp,
    }),
  (state) => ({
    setpoint: state.setpoint,
    for_user: state.forUser,
    queue: state.queue,
    room_temperature: Math.round(state.roomTemperature * 100) / 100,
    heating: state.heating,
    timestamp: state.timestamp,
  }),
);

// ---------------------------------------------------------------------------------------------
// Playground course and the smart object
// ---------------------------------------------------------------------------------------------

export interface DeviceDescriptor {
  deviceId: string;
  producer: string;
  softwareVersion: string;
}

export const deviceDescriptor: Codec<DeviceDescriptor> = jsonCodec(
  z.object(
    {
      device_id: z.string(says('device_id', 'a string')).min(1, 'device_id must not be empty'),
      producer: z.string(says('producer', 'a string')),
      software_version: z.string(says('software_version', 'a string')),
    },
    OBJECT,
  ),
  (wire) => ok({ deviceId: wire.device_id, producer: wire.producer, softwareVersion: wire.software_version }),
  (d) => ({ device_id: d.deviceId, producer: d.producer, software_version: d.softwareVersion }),
);

export interface TemperatureMessage {
  /** Epoch seconds. */
  timestamp: number;
  valueType: string;
  value: number;
}

export const TEMPERATURE_SENSOR = 'TEMPERATURE_SENSOR';

/** MessageDescriptor carrying a temperature. */
export const temperatureMessage: Codec<TemperatureMessage> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds,
      value_type: z.string(says('value_type', 'a string')),
      value: z
        .number({ error: (i: { input?: unknown }) => (i.input === undefined ? 'value is missing' : 'temperature is not a number') })
        .finite('temperature is not a number'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, valueType: wire.value_type, value: wire.value }),
  (m) => ({ timestamp: m.timestamp, value_type: m.valueType, value: Math.round(m.value * 100) / 100 }),
);

export interface SwitchMessage {
  /** Epoch seconds; the course's short form leaves it out. */
  timestamp?: number;
  value: 'ON' | 'OFF';
}

/** MessageDescriptor of type SWITCH. */
export const switchMessage: Codec<SwitchMessage> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds.optional(),
      value_type: z.literal('SWITCH', says('value_type', '"SWITCH"')),
      value: onOff('value'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, value: wire.value }),
  (m) => ({ ...(m.timestamp === undefined ? {} : { timestamp: m.timestamp }), value_type: 'SWITCH', value: m.value }),
);

export interface DeviceEvent {
  /** Epoch seconds. */
  timestamp: number;
  eventType: string;
  eventValue: number;
}

export const OVER_HEATING = 'OVER_HEATING';

export const deviceEvent: Codec<DeviceEvent> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds,
      event_type: z.string(says('event_type', 'a string')).min(1, 'event_type must not be empty'),
      event_value: finite('event_value'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, eventType: wire.event_type, eventValue: wire.event_value }),
  (e) => ({ timestamp: e.timestamp, event_type: e.eventType, event_value: Math.round(e.eventValue * 100) / 100 }),
);

export interface SwitchAction {
  timestamp?: number;
  value: 'ON' | 'OFF';
}

/** ActionDescriptor of type SWITCH. */
export const switchAction: Codec<SwitchAction> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds.optional(),
      action_type: z.literal('SWITCH', says('action_type', '"SWITCH"')),
      action_value: onOff('action_value'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, value: wire.action_value }),
  (a) => ({ ...(a.timestamp === undefined ? {} : { timestamp: a.timestamp }), action_type: 'SWITCH', action_value: a.value }),
);

export type ControllerState = { pending: null } | { pending: 'ON' | 'OFF'; due: number };

/** `{"pending":"ON","due":<epoch ms>}` or `{"pending":null}`. */
export const controllerState: Codec<ControllerState> = jsonCodec(
  z.object(
    {
      pending: z.enum(['ON', 'OFF'], says('pending', '"ON", "OFF" or null')).nullable(),
      due: z.number(says('due', 'epoch milliseconds')).int('due must be whole milliseconds').optional(),
    },
    OBJECT,
  ),
  (wire) => {
    if (wire.pending === null) return ok({ pending: null });
    if (wire.due === undefined) return fail('due is missing');
    return ok({ pending: wire.pending, due: wire.due });
  },
  (s) => (s.pending === null ? { pending: null } : { pending: s.pending, due: s.due }),
);

/** `sensor/temperature`: the float as text. */
export const rawTemperature: Codec<number> = textCodec(
  (text) => {
    const value = Number(text);
    return DECIMAL.test(text) && Number.isFinite(value) ? ok(value) : fail('temperature is not a number');
  },
  (value) => String(Math.round(value * 100) / 100),
);

// ---------------------------------------------------------------------------------------------
// Login challenge
// ---------------------------------------------------------------------------------------------

export const challengeAnswers = {
  CMD1: 'Apple',
  CMD2: 'Cat',
  CMD3: 'Dog',
  CMD4: 'Rat',
  CMD5: 'Boy',
  CMD6: 'Girl',
  CMD7: 'Toy',
} as const;

export type ChallengeCommand = keyof typeof challengeAnswers;

export const CHALLENGE_DONE = 'Well done my IoT!';

export function isChallengeCommand(text: string): text is ChallengeCommand {
  return Object.hasOwn(challengeAnswers, text);
}

/** Whether `word` is the answer the service expects to `command` (exact, as the original). */
export function isRightReply(command: ChallengeCommand, word: string): boolean {
  return challengeAnswers[command] === word;
}

/** `login`: the client's id, which becomes the first level of its answer topic. */
export const loginRequest: Codec<string> = textCodec(
  (text) => (isTopicLevel(text) ? ok(text) : fail('client id must be one topic level without / + #')),
  (clientId) => clientId,
);

/** `<id>/UUID`: the fresh challenge id. */
export const loginUuid: Codec<string> = textCodec(
  (text) => (UUID.test(text) ? ok(text) : fail('not a UUID')),
  (uuid) => uuid,
);

export type ChallengeMessage = { kind: 'command'; command: ChallengeCommand } | { kind: 'done' };

/** `<uuid>`: a command to answer, or the final praise. */
export const challengeMessage: Codec<ChallengeMessage> = textCodec(
  (text) => {
    if (text === CHALLENGE_DONE) return ok({ kind: 'done' });
    return isChallengeCommand(text) ? ok({ kind: 'command', command: text }) : fail('not a command CMD1..CMD7');
  },
  (m) => (m.kind === 'done' ? CHALLENGE_DONE : m.command),
);

/** `<uuid>/<CMD>`: the reply word (right or wrong is the service's call, not a format error). */
export const challengeReply: Codec<string> = textCodec(
  (text) => (text.trim().length > 0 && text.length <= 64 ? ok(text.trim()) : fail('reply must be a short word')),
  (word) => word,
);

// ---------------------------------------------------------------------------------------------
// Car park
// ---------------------------------------------------------------------------------------------

export interface CarPassage {
  /** Epoch seconds. */
  timestamp: number;
  /** The sensor's temperature in °C. */
  temperatureC: number;
}

export const carPassage: Codec<CarPassage> = jsonCodec(
  z.object({ timestamp: epochSeconds, temperatureC: finite('temperatureC') }, OBJECT),
  (wire) => ok({ timestamp: wire.timestamp, temperatureC: wire.temperatureC }),
  (p) => ({ timestamp: p.timestamp, temperatureC: Math.round(p.temperatureC * 10) / 10 }),
);

export interface CarparkDisplay {
  /** "HH:MM". */
  time: string;
  spaces: number;
  full: boolean;
  temperatureC: number | null;
}

export const carparkDisplay: Codec<CarparkDisplay> = jsonCodec(
  z.object(
    {
      time: z.string(says('time', 'a string')).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM'),
      spaces: z.number(says('spaces', 'a number')).int('spaces must be a whole number').min(0, 'spaces must not be negative'),
      full: z.boolean(says('full', 'true or false')),
      temperatureC: finite('temperatureC').nullable(),
    },
    OBJECT,
  ),
  (wire) => ok({ time: wire.time, spaces: wire.spaces, full: wire.full, temperatureC: wire.temperatureC }),
  (d) => ({ time: d.time, spaces: d.spaces, full: d.full, temperatureC: d.temperatureC }),
);

export interface CarparkRefusal {
  /** Epoch seconds. */
  timestamp: number;
  passage: 'entry' | 'exit';
  /** Why it was not counted: the lot was full (entry) or already empty (exit). */
  reason: 'full' | 'empty';
  spaces: number;
}

/** `{"timestamp":..,"passage":"entry","reason":"full","spaces":0}`. */
export const carparkRefusal: Codec<CarparkRefusal> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds,
      passage: z.enum(['entry', 'exit'], says('passage', '"entry" or "exit"')),
      reason: z.enum(['full', 'empty'], says('reason', '"full" or "empty"')),
      spaces: z.number(says('spaces', 'a number')).int('spaces must be a whole number').min(0, 'spaces must not be negative'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, passage: wire.passage, reason: wire.reason, spaces: wire.spaces }),
  (r) => ({ timestamp: r.timestamp, passage: r.passage, reason: r.reason, spaces: r.spaces }),
);

/** The car-park sign's clock: "HH:MM" in the machine's time zone. */
export function signTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Checking any payload by its topic
// ---------------------------------------------------------------------------------------------

const codecOf: { [K in KnownTopic['kind']]: Codec<unknown> } = {
  'user-data': userRecord,
  'presence-data': userRecord,
  'thermostat-state': thermostatState,
  'user-roster': userRoster,
  'sensor-temperature': rawTemperature,
  'device-temperature': temperatureMessage,
  'device-info': deviceDescriptor,
  'device-sensor-temperature': temperatureMessage,
  'switch-telemetry': switchMessage,
  'temperature-telemetry': temperatureMessage,
  event: deviceEvent,
  'switch-action': switchAction,
  controller: controllerState,
  login: loginRequest,
  'login-uuid': loginUuid,
  challenge: challengeMessage,
  'challenge-reply': challengeReply,
  'carpark-entry': carPassage,
  'carpark-exit': carPassage,
  'carpark-display': carparkDisplay,
  'carpark-refused': carparkRefusal,
};

/**
 * Why this payload is wrong for this topic, or null when it is fine or the topic is not one of
 * the home's. An empty payload on a known topic is fine: it is how MQTT clears a retained one.
 */
export function checkPayload(topic: string, payload: Buffer | Uint8Array | string): string | null {
  const known = matchTopic(topic);
  if (known === null) return null;
  if (payload.length === 0) return null;
  const result = codecOf[known.kind].parse(payload);
  return result.ok ? null : result.reason;
}
