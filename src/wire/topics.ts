/** Every topic string of the home, the subscription filters, and which of them a topic is. */
import { isTopicLevel, UUID, UUID_LENGTH } from './codec.js';
import { isChallengeCommand, type ChallengeCommand } from './challenge.js';
import { haTopics } from './home-assistant.js';
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
  /** Mosquitto's (and others') count of connected clients, published every few seconds. */
  brokerClients: '$SYS/broker/clients/connected',
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
  | { kind: 'carpark-refused'; lot: string }
  | { kind: 'thermostat-default-setpoint' }
  | { kind: 'thermostat-mode' }
  | { kind: 'ha-target-command' }
  | { kind: 'ha-mode-command' };


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
    case haTopics.thermostatDefaultSetpoint:
      return { kind: 'thermostat-default-setpoint' };
    case haTopics.thermostatMode:
      return { kind: 'thermostat-mode' };
    case haTopics.thermostatTargetCommand:
      return { kind: 'ha-target-command' };
    case haTopics.thermostatModeCommand:
      return { kind: 'ha-mode-command' };
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
