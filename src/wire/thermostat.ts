/** The smart thermostat's payloads: user records, the door locker's roster, the thermostat's state. */
import { z } from 'zod';
import {
  celsiusIn,
  celsiusTextIn,
  epochSeconds,
  fail,
  formatTemperature,
  jsonCodec,
  OBJECT,
  ok,
  says,
  type Codec,
} from './codec.js';
import { LETTERS_AND_DIGITS, PREFERENCE_CELSIUS, READING_CELSIUS, USER_NAME_MAX_LENGTH } from './ranges.js';
/** "1" from the registration app, "0" from the door locker, "-1" delete. */
export type AppInfo = '1' | '0' | '-1';

/** One person's record as it travels on user_data and presence_data. */
export type UserRecord =
  | { appInfo: '1' | '0'; userName: string; temperature: number; isHome: boolean }
  | { appInfo: '-1'; userName: string; temperature?: number; isHome?: boolean };

export function isUserName(name: string): boolean {
  return name.length <= USER_NAME_MAX_LENGTH && LETTERS_AND_DIGITS.test(name);
}

const userName = z
  .string(says('user_name', 'a string'))
  .regex(LETTERS_AND_DIGITS, 'user_name must be letters and digits')
  .max(USER_NAME_MAX_LENGTH, `user_name must be at most ${USER_NAME_MAX_LENGTH} characters`);

/** A preferred temperature as the apps send it: a decimal string within the home's range. */
const preference = celsiusTextIn('temperature', PREFERENCE_CELSIUS);

const userRecordSchema = z.object(
  {
    app_info: z.enum(['1', '0', '-1'], says('app_info', '"1", "0" or "-1"')),
    user_name: userName,
    temperature: preference.optional(),
    is_home: z.enum(['1', '0'], says('is_home', '"1" or "0"')).optional(),
  },
  OBJECT,
);

/** The payload on `smart_home/user_data` and `smart_home/presence_data`: all values strings. */
export const userRecord: Codec<UserRecord> = jsonCodec(
  userRecordSchema,
  (wire) => {
    const temperature = wire.temperature === undefined ? undefined : Number(wire.temperature);
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
            user_name: userName,
            temperature: preference,
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
  /** `off` when switched off (from Home Assistant); older states leave it out. */
  mode?: 'heat' | 'off';
  /** Epoch seconds. */
  timestamp: number;
}

export const thermostatState: Codec<ThermostatState> = jsonCodec(
  z.object(
    {
      setpoint: celsiusIn('setpoint', PREFERENCE_CELSIUS),
      for_user: z.string(says('for_user', 'a name or null')).nullable(),
      queue: z.array(z.string(says('queue entry', 'a name')), says('queue', 'a list of names')),
      room_temperature: celsiusIn('room_temperature', READING_CELSIUS),
      heating: z.boolean(says('heating', 'true or false')),
      mode: z.enum(['heat', 'off'], says('mode', '"heat" or "off"')).optional(),
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
      ...(wire.mode === undefined ? {} : { mode: wire.mode }),
      timestamp: wire.timestamp,
    }),
  (state) => ({
    setpoint: state.setpoint,
    for_user: state.forUser,
    queue: state.queue,
    room_temperature: Math.round(state.roomTemperature * 100) / 100,
    heating: state.heating,
    ...(state.mode === undefined ? {} : { mode: state.mode }),
    timestamp: state.timestamp,
  }),
);
