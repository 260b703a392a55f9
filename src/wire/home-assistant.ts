/**
 * Home Assistant's side of the wire: the discovery and birth topics under HA's prefix, each
 * device's availability topic, the topics the home's Home Assistant bridge publishes (plain
 * values HA reads without templates) and obeys, and the thermostat settings HA can change.
 */
import { DECIMAL, fail, ok, textCodec, type Codec } from './codec.js';
import { DEFAULT_HA_PREFIX } from './ha-prefix.js';
import { inRange, PREFERENCE_CELSIUS, rangeText } from './ranges.js';

export { DEFAULT_HA_PREFIX, isHaPrefix } from './ha-prefix.js';

/** A node id in a discovery topic: HA only accepts [a-zA-Z0-9_-]. */
export function isDiscoveryNodeId(nodeId: string): boolean {
  return /^[a-zA-Z0-9_-]+$/.test(nodeId);
}

const BRIDGE = 'smart_home/home_assistant';

export const haTopics = {
  /** Device-based discovery: one retained config per HA device. */
  deviceConfig: (prefix: string, nodeId: string) => `${prefix}/device/${nodeId}/config`,
  /** Every device config under a prefix, to find the ones a previous run left. */
  allDeviceConfigs: (prefix: string) => `${prefix}/device/+/config`,
  /**
   * Where HA's birth message (`online` when it connects) may come: its own default topic, which HA
   * keeps when only the discovery prefix is changed, and the one under the prefix.
   */
  status: (prefix: string): string[] => [...new Set([`${DEFAULT_HA_PREFIX}/status`, `${prefix}/status`])],

  // Availability: each device's retained `online`, and its will `offline`.
  thermostatAvailability: 'smart_home/thermostat/availability',
  doorLockerAvailability: 'smart_home/door_locker/availability',
  smartObjectAvailability: (deviceId: string) => `device/${deviceId}/availability`,
  /** A fleet gateway's own availability (`--fleet-via gateway`): its will says `offline` for all its devices. */
  gatewayAvailability: (gatewayId: string) => `gateway/${gatewayId}/availability`,
  carparkAvailability: 'carpark/availability',
  bridgeAvailability: `${BRIDGE}/availability`,

  // What the thermostat obeys besides people: both retained, so they survive a restart.
  /** The setpoint with nobody home, as a decimal (°C). */
  thermostatDefaultSetpoint: 'smart_home/thermostat/default_setpoint',
  /** `heat` or `off`. */
  thermostatMode: 'smart_home/thermostat/mode',

  // Published by the bridge, retained: one plain value each.
  /** `heating`, `idle` or `off`. */
  thermostatAction: `${BRIDGE}/thermostat/action`,
  /** `home` or `not_home`. */
  presence: (userName: string) => `${BRIDGE}/presence/${userName}`,
  /** How many people are at home. */
  peopleHome: `${BRIDGE}/people_home`,
  /** `ON` while the object's last temperature is above the over-heating line. */
  overHeating: (deviceId: string) => `${BRIDGE}/object/${deviceId}/over_heating`,
  /** `ON` while the lot is full. */
  carparkFull: (lot: string) => `${BRIDGE}/carpark/${lot}/full`,
  /** How many fleet objects were announced, retained, so the next run can withdraw the extra ones. */
  fleetSize: `${BRIDGE}/fleet_size`,

  // Commands from HA that the bridge turns into the home's own messages.
  thermostatTargetCommand: `${BRIDGE}/thermostat/target/set`,
  thermostatModeCommand: `${BRIDGE}/thermostat/mode/set`,
} as const;

export const ONLINE = 'online';
export const OFFLINE = 'offline';
/** HA's birth payload on its status topic. */
export const HA_BIRTH = 'online';

export type ThermostatMode = 'heat' | 'off';

/** `heat` or `off`, as text: HA's climate mode payloads. */
export const thermostatMode: Codec<ThermostatMode> = textCodec(
  (text) => (text === 'heat' || text === 'off' ? ok(text) : fail('mode must be "heat" or "off"')),
  (mode) => mode,
);

/** A setpoint as HA sends it and the default setpoint is kept: a decimal as text, "21.5", 5 to 35 °C. */
export const setpointText: Codec<number> = textCodec(
  (text) => {
    const value = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(value)) return fail('temperature is not a number');
    if (!inRange(value, PREFERENCE_CELSIUS)) return fail(`temperature must be ${rangeText(PREFERENCE_CELSIUS)}`);
    return ok(value);
  },
  (value) => String(Math.round(value * 100) / 100),
);

/** The plain values the bridge publishes and HA's entities expect. */
export const haValues = { home: 'home', notHome: 'not_home', on: 'ON', off: 'OFF' } as const;

/** The node id of a device config topic under `prefix`, or undefined for any other topic. */
export function deviceConfigNodeId(prefix: string, topic: string): string | undefined {
  const head = `${prefix}/device/`;
  if (!topic.startsWith(head) || !topic.endsWith('/config')) return undefined;
  const nodeId = topic.slice(head.length, -'/config'.length);
  return isDiscoveryNodeId(nodeId) ? nodeId : undefined;
}
