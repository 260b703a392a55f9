/** The playground course's payloads and the smart object's: descriptors, telemetry, events, actions. */
import { z } from 'zod';
import {
  celsiusIn,
  DECIMAL,
  epochSeconds,
  fail,
  jsonCodec,
  OBJECT,
  ok,
  onOff,
  says,
  textCodec,
  type Codec,
} from './codec.js';
import { inRange, rangeText, READING_CELSIUS } from './ranges.js';
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
        .finite('temperature is not a number')
        .min(READING_CELSIUS.min, `value must be ${rangeText(READING_CELSIUS)}`)
        .max(READING_CELSIUS.max, `value must be ${rangeText(READING_CELSIUS)}`),
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
      event_value: celsiusIn('event_value', READING_CELSIUS),
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
    if (!DECIMAL.test(text) || !Number.isFinite(value)) return fail('temperature is not a number');
    return inRange(value, READING_CELSIUS) ? ok(value) : fail(`temperature must be ${rangeText(READING_CELSIUS)}`);
  },
  (value) => String(Math.round(value * 100) / 100),
);

