import { describe, expect, it } from 'vitest';
import {
  carPassage,
  carparkDisplay,
  challengeMessage,
  checkPayload,
  controllerState,
  deviceDescriptor,
  deviceEvent,
  loginRequest,
  loginUuid,
  matchTopic,
  rawTemperature,
  switchAction,
  switchMessage,
  temperatureMessage,
  thermostatState,
  topics,
  userRecord,
  userRoster,
  type Codec,
} from '../src/wire/index.js';

const ONE_MIB = Buffer.alloc(1024 * 1024, 'a');
const BAD_UTF8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

function reasonOf<T>(codec: Codec<T>, payload: Buffer | string): string {
  const result = codec.parse(payload);
  if (result.ok) throw new Error(`expected a refusal for ${String(payload).slice(0, 60)}`);
  return result.reason;
}

describe('user records (user_data / presence_data)', () => {
  it('reads the original apps payload with string values in any key order', () => {
    const result = userRecord.parse('{"user_name":"alice","temperature":"21.5","is_home":"0","app_info":"1"}');
    expect(result).toEqual({ ok: true, value: { appInfo: '1', userName: 'alice', temperature: 21.5, isHome: false } });
    expect(userRecord.parse(Buffer.from('{"app_info":"0","is_home":"1","temperature":"19","user_name":"bob"}'))).toEqual({
      ok: true,
      value: { appInfo: '0', userName: 'bob', temperature: 19, isHome: true },
    });
  });

  it('writes what the original apps write, all values strings', () => {
    const text = userRecord.encode({ appInfo: '1', userName: 'bob', temperature: 22.5, isHome: false });
    expect(JSON.parse(text)).toEqual({ app_info: '1', is_home: '0', temperature: '22.5', user_name: 'bob' });
    expect(JSON.parse(userRecord.encode({ appInfo: '0', userName: 'c', temperature: 19, isHome: true })).temperature).toBe('19.0');
  });

  it('accepts a delete that carries only the name', () => {
    expect(userRecord.parse('{"app_info":"-1","user_name":"alice"}')).toMatchObject({ ok: true, value: { appInfo: '-1', userName: 'alice' } });
  });

  it.each([
    ['hello', 'not JSON'],
    ['', 'not JSON'],
    ['[]', 'payload must be a JSON object'],
    ['42', 'payload must be a JSON object'],
    ['{"app_info":"1","is_home":"0","temperature":"warm","user_name":"alice"}', 'temperature is not a number'],
    ['{"app_info":"1","is_home":"0","temperature":21.5,"user_name":"alice"}', 'temperature must be a string'],
    ['{"app_info":"1","is_home":"0","temperature":"21","user_name":"al ice"}', 'user_name must be letters and digits'],
    ['{"app_info":"1","is_home":"0","temperature":"21","user_name":"al/ice"}', 'user_name must be letters and digits'],
    ['{"app_info":"1","is_home":"0","temperature":"21"}', 'user_name is missing'],
    ['{"app_info":"2","is_home":"0","temperature":"21","user_name":"a"}', 'app_info must be "1", "0" or "-1"'],
    ['{"app_info":1,"is_home":"0","temperature":"21","user_name":"a"}', 'app_info must be "1", "0" or "-1"'],
    ['{"app_info":"1","is_home":"yes","temperature":"21","user_name":"a"}', 'is_home must be "1" or "0"'],
    ['{"app_info":"1","is_home":"0","user_name":"a"}', 'temperature is missing'],
  ])('refuses %s: %s', (payload, reason) => {
    expect(reasonOf(userRecord, payload)).toBe(reason);
  });

  it.each([
    ['1e300', 'temperature must be from 5 to 35 °C'],
    ['99', 'temperature must be from 5 to 35 °C'],
    ['-273', 'temperature must be from 5 to 35 °C'],
    ['4.99', 'temperature must be from 5 to 35 °C'],
    ['NaN', 'temperature is not a number'],
    ['Infinity', 'temperature is not a number'],
  ])('refuses a preferred temperature of %s outside the home\'s 5-35 °C: %s', (temperature, reason) => {
    const record = JSON.stringify({ app_info: '1', is_home: '0', temperature, user_name: 'huge' });
    expect(reasonOf(userRecord, record)).toBe(reason);
    expect(reasonOf(userRecord, record.replace('"1"', '"0"'))).toBe(reason);
    expect(reasonOf(userRoster, JSON.stringify({ users: [{ user_name: 'huge', temperature, is_home: '0' }] }))).toBe(reason);
  });

  it('takes both ends of the range and names of up to 64 letters and digits', () => {
    expect(userRecord.parse('{"app_info":"1","is_home":"0","temperature":"5","user_name":"a"}').ok).toBe(true);
    expect(userRecord.parse('{"app_info":"1","is_home":"0","temperature":"35.0","user_name":"a"}').ok).toBe(true);
    const record = (name: string) => JSON.stringify({ app_info: '1', is_home: '0', temperature: '20', user_name: name });
    expect(userRecord.parse(record('a'.repeat(64))).ok).toBe(true);
    expect(reasonOf(userRecord, record('a'.repeat(65)))).toBe('user_name must be at most 64 characters');
  });

  it('refuses an oversize payload and invalid UTF-8 before reading them', () => {
    expect(reasonOf(userRecord, ONE_MIB)).toBe('payload larger than 64 KiB');
    expect(reasonOf(userRecord, BAD_UTF8)).toBe('not valid UTF-8');
  });
});

describe('the door locker roster', () => {
  it('round-trips in registration order with string values', () => {
    const entries = [
      { userName: 'bob', temperature: 19, isHome: true },
      { userName: 'alice', temperature: 21.5, isHome: false },
    ];
    const text = userRoster.encode(entries);
    expect(JSON.parse(text)).toEqual({ users: [{ user_name: 'bob', temperature: '19.0', is_home: '1' }, { user_name: 'alice', temperature: '21.5', is_home: '0' }] });
    expect(userRoster.parse(text)).toEqual({ ok: true, value: entries });
    expect(reasonOf(userRoster, '{"users":[{"user_name":"a b","temperature":"1","is_home":"0"}]}')).toBe('user_name must be letters and digits');
    expect(reasonOf(userRoster, '{"users":{}}')).toBe('users must be a list');
  });
});

describe('thermostat state', () => {
  it('round-trips', () => {
    const state = { setpoint: 21.5, forUser: 'alice', queue: ['alice', 'bob'], roomTemperature: 18.25, heating: true, timestamp: 1700000000 };
    expect(thermostatState.parse(thermostatState.encode(state))).toEqual({ ok: true, value: state });
    const idle = { ...state, forUser: null, queue: [] };
    expect(thermostatState.parse(thermostatState.encode(idle))).toEqual({ ok: true, value: idle });
  });
  it('refuses wrong types', () => {
    expect(reasonOf(thermostatState, '{"setpoint":"hot","for_user":null,"queue":[],"room_temperature":1,"heating":false,"timestamp":1}')).toBe('setpoint must be a number');
    expect(reasonOf(thermostatState, '{"setpoint":10,"for_user":null,"queue":"alice","room_temperature":1,"heating":false,"timestamp":1}')).toBe('queue must be a list of names');
  });
  it('refuses a setpoint outside 5-35 °C and a room temperature no thermometer reads', () => {
    const state = (setpoint: number, room: number) =>
      JSON.stringify({ setpoint, for_user: 'huge', queue: ['huge'], room_temperature: room, heating: true, timestamp: 1 });
    expect(reasonOf(thermostatState, state(1e300, 20))).toBe('setpoint must be from 5 to 35 °C');
    expect(reasonOf(thermostatState, state(99, 20))).toBe('setpoint must be from 5 to 35 °C');
    expect(reasonOf(thermostatState, state(20, 1.1049610706077684e298))).toBe('room_temperature must be from -50 to 100 °C');
    expect(reasonOf(thermostatState, state(20, -273))).toBe('room_temperature must be from -50 to 100 °C');
    expect(thermostatState.parse(state(15, -5)).ok).toBe(true);
  });
});

describe('course descriptors', () => {
  it('reads and writes DeviceDescriptor', () => {
    const text = deviceDescriptor.encode({ deviceId: 'device001', producer: 'ACME', softwareVersion: '1.0' });
    expect(JSON.parse(text)).toEqual({ device_id: 'device001', producer: 'ACME', software_version: '1.0' });
    expect(deviceDescriptor.parse(text)).toEqual({ ok: true, value: { deviceId: 'device001', producer: 'ACME', softwareVersion: '1.0' } });
    expect(reasonOf(deviceDescriptor, '{"producer":"ACME","software_version":"1"}')).toBe('device_id is missing');
  });

  it('reads and writes a temperature MessageDescriptor', () => {
    const text = temperatureMessage.encode({ timestamp: 1700000000, valueType: 'TEMPERATURE_SENSOR', value: 23.456 });
    expect(JSON.parse(text)).toEqual({ timestamp: 1700000000, value_type: 'TEMPERATURE_SENSOR', value: 23.46 });
    expect(reasonOf(temperatureMessage, '{"timestamp":1,"value_type":"TEMPERATURE_SENSOR","value":"23"}')).toBe('temperature is not a number');
    expect(reasonOf(temperatureMessage, '{"timestamp":1.5,"value_type":"TEMPERATURE_SENSOR","value":23}')).toBe('timestamp must be whole seconds');
    expect(reasonOf(temperatureMessage, '{"timestamp":1,"value_type":"TEMPERATURE_SENSOR","value":1e300}')).toBe('value must be from -50 to 100 °C');
    expect(reasonOf(temperatureMessage, '{"timestamp":1,"value_type":"TEMPERATURE_SENSOR","value":-273}')).toBe('value must be from -50 to 100 °C');
    expect(reasonOf(temperatureMessage, ONE_MIB)).toBe('payload larger than 64 KiB');
    expect(reasonOf(temperatureMessage, BAD_UTF8)).toBe('not valid UTF-8');
  });

  it('reads the SWITCH telemetry in its short form and writes it with a timestamp', () => {
    expect(switchMessage.parse('{"value_type":"SWITCH","value":"ON"}')).toEqual({ ok: true, value: { timestamp: undefined, value: 'ON' } });
    expect(JSON.parse(switchMessage.encode({ timestamp: 5, value: 'OFF' }))).toEqual({ timestamp: 5, value_type: 'SWITCH', value: 'OFF' });
    expect(reasonOf(switchMessage, '{"value_type":"SWITCH","value":"on"}')).toBe('value must be "ON" or "OFF"');
    expect(reasonOf(switchMessage, '{"value_type":"DIMMER","value":"ON"}')).toBe('value_type must be "SWITCH"');
  });

  it('reads and writes the OVER_HEATING event', () => {
    const text = deviceEvent.encode({ timestamp: 7, eventType: 'OVER_HEATING', eventValue: 35.2 });
    expect(JSON.parse(text)).toEqual({ timestamp: 7, event_type: 'OVER_HEATING', event_value: 35.2 });
    expect(reasonOf(deviceEvent, '{"timestamp":7,"event_type":"OVER_HEATING","event_value":null}')).toBe('event_value must be a number');
    expect(reasonOf(deviceEvent, '{"timestamp":7,"event_type":"OVER_HEATING","event_value":1e300}')).toBe('event_value must be from -50 to 100 °C');
  });

  it('reads and writes ActionDescriptor', () => {
    expect(switchAction.parse('{"action_type":"SWITCH","action_value":"OFF"}')).toEqual({ ok: true, value: { timestamp: undefined, value: 'OFF' } });
    expect(JSON.parse(switchAction.encode({ value: 'ON' }))).toEqual({ action_type: 'SWITCH', action_value: 'ON' });
    expect(reasonOf(switchAction, '{"action_type":"SWITCH","action_value":true}')).toBe('action_value must be "ON" or "OFF"');
    expect(reasonOf(switchAction, 'OFF')).toBe('not JSON');
  });

  it('reads and writes the controller state', () => {
    expect(controllerState.encode({ pending: 'ON', due: 1234 })).toBe('{"pending":"ON","due":1234}');
    expect(controllerState.encode({ pending: null })).toBe('{"pending":null}');
    expect(controllerState.parse('{"pending":"ON","due":1234}')).toEqual({ ok: true, value: { pending: 'ON', due: 1234 } });
    expect(reasonOf(controllerState, '{"pending":"ON"}')).toBe('due is missing');
  });

  it('reads the simple sensor float as text', () => {
    expect(rawTemperature.parse('23.5')).toEqual({ ok: true, value: 23.5 });
    expect(rawTemperature.encode(31.256)).toBe('31.26');
    expect(reasonOf(rawTemperature, 'twenty')).toBe('temperature is not a number');
    expect(reasonOf(rawTemperature, 'NaN')).toBe('temperature is not a number');
    expect(reasonOf(rawTemperature, 'Infinity')).toBe('temperature is not a number');
    expect(reasonOf(rawTemperature, '1e300')).toBe('temperature must be from -50 to 100 °C');
    expect(reasonOf(rawTemperature, '-273')).toBe('temperature must be from -50 to 100 °C');
    expect(reasonOf(rawTemperature, BAD_UTF8)).toBe('not valid UTF-8');
  });
});

describe('login challenge and car park', () => {
  it('reads the challenge messages', () => {
    expect(loginRequest.parse('student42')).toEqual({ ok: true, value: 'student42' });
    expect(reasonOf(loginRequest, 'a/b')).toBe('client id must be one topic level without / + #');
    expect(loginUuid.parse('3f2c0d8e-9a51-4c1e-8a5b-1b2c3d4e5f60').ok).toBe(true);
    expect(reasonOf(loginUuid, 'not-a-uuid')).toBe('not a UUID');
    expect(challengeMessage.parse('CMD3')).toEqual({ ok: true, value: { kind: 'command', command: 'CMD3' } });
    expect(challengeMessage.parse('Well done my IoT!')).toEqual({ ok: true, value: { kind: 'done' } });
    expect(reasonOf(challengeMessage, 'CMD8')).toBe('not a command CMD1..CMD7');
  });

  it('reads car passages and the display', () => {
    expect(carPassage.parse('{"timestamp":5,"temperatureC":12.5}')).toEqual({ ok: true, value: { timestamp: 5, temperatureC: 12.5 } });
    expect(reasonOf(carPassage, '{"timestamp":5,"temperatureC":1e300}')).toBe('temperatureC must be from -50 to 100 °C');
    expect(reasonOf(carparkDisplay, '{"time":"09:05","spaces":1,"full":false,"temperatureC":-273}')).toBe('temperatureC must be from -50 to 100 °C');
    const display = { time: '09:05', spaces: 0, full: true, temperatureC: 12.5 };
    expect(carparkDisplay.parse(carparkDisplay.encode(display))).toEqual({ ok: true, value: display });
    expect(reasonOf(carparkDisplay, '{"time":"9:5","spaces":1,"full":false,"temperatureC":null}')).toBe('time must be HH:MM');
    expect(reasonOf(carparkDisplay, '{"time":"09:05","spaces":-1,"full":false,"temperatureC":null}')).toBe('spaces must not be negative');
  });
});

describe('topics', () => {
  it('builds and recognises every topic of the home', () => {
    const uuid = '3f2c0d8e-9a51-4c1e-8a5b-1b2c3d4e5f60';
    expect(matchTopic(topics.userData)).toEqual({ kind: 'user-data' });
    expect(matchTopic(topics.deviceInfo('device001'))).toEqual({ kind: 'device-info', deviceId: 'device001' });
    expect(matchTopic(topics.temperatureTelemetry('d7'))).toEqual({ kind: 'temperature-telemetry', deviceId: 'd7' });
    expect(matchTopic(topics.deviceSensorTemperature('d7'))).toEqual({ kind: 'device-sensor-temperature', deviceId: 'd7' });
    expect(matchTopic(topics.controller('d7'))).toEqual({ kind: 'controller', deviceId: 'd7' });
    expect(matchTopic(topics.loginUuid('student42'))).toEqual({ kind: 'login-uuid', clientId: 'student42' });
    expect(matchTopic(topics.challenge(uuid))).toEqual({ kind: 'challenge', uuid });
    expect(matchTopic(topics.challengeReply(uuid, 'CMD7'))).toEqual({ kind: 'challenge-reply', uuid, command: 'CMD7' });
    expect(matchTopic(topics.carparkDisplay('main'))).toEqual({ kind: 'carpark-display', lot: 'main' });
    expect(topics.userArea('ann')).toBe('/iot/user/ann/#');
    expect(matchTopic('somebody/else')).toBeNull();
  });
});

describe('checkPayload', () => {
  it('gives a reason for a bad payload on a known topic and null otherwise', () => {
    expect(checkPayload(topics.userData, Buffer.from('{"app_info":"1"'))).toBe('not JSON');
    expect(checkPayload(topics.switchAction('device001'), Buffer.from('{"action_type":"SWITCH","action_value":"ON"}'))).toBeNull();
    expect(checkPayload(topics.temperatureTelemetry('device001'), ONE_MIB)).toBe('payload larger than 64 KiB');
    expect(checkPayload(topics.sensorTemperature, BAD_UTF8)).toBe('not valid UTF-8');
    expect(checkPayload('any/thing', BAD_UTF8)).toBeNull();
    // An empty retained payload is how a retained message is cleared.
    expect(checkPayload(topics.deviceInfo('device001'), Buffer.alloc(0))).toBeNull();
  });

  it('never throws, whatever the bytes', () => {
    const samples = [Buffer.from([0]), Buffer.from('{"a":'), Buffer.from('null'), Buffer.from('{"__proto__":{"x":1}}'), ONE_MIB, BAD_UTF8];
    const allTopics = [topics.userData, topics.thermostatState, topics.deviceInfo('x'), topics.event('x'), topics.login, topics.carparkEntry('main')];
    for (const topic of allTopics) for (const payload of samples) expect(() => checkPayload(topic, payload)).not.toThrow();
  });
});
