/**
 * What Home Assistant is told about the home: one device-based discovery config (`dev`, `o`,
 * `cmps`) for the home, and one per fleet object (a config with thousands of components would be
 * megabytes, and HA lists a fleet better as devices of their own). Keys use HA's abbreviations.
 * Unique ids come from names that do not change between runs (people, device ids, lots).
 */
import { haTopics, haValues, PREFERENCE_CELSIUS, topics } from '../../wire/index.js';

/** The home's node id in its discovery topic, and its device identifier. */
export const HOME_NODE_ID = 'smart_home_tui';

/** The node id of a fleet object's own HA device. */
export const fleetNodeId = (deviceId: string) => `${HOME_NODE_ID}_${deviceId}`;

/** Is this node id one the home publishes (so a stale one may be cleared)? */
export const isOwnNodeId = (nodeId: string) => nodeId === HOME_NODE_ID || nodeId.startsWith(`${HOME_NODE_ID}_`);

export interface HomeParts {
  /** Registered people, in registration order. */
  people: readonly string[];
  /** The home's own smart objects (data/home.json's roster). */
  smartObjects: readonly string[];
  /** Car-park lots. */
  lots: readonly string[];
  /** The program's version, for the device and origin. */
  version: string;
}

type Component = Record<string, unknown>;
export type DeviceConfig = { dev: Record<string, unknown>; o: Record<string, unknown>; cmps: Record<string, Component> };

const MANUFACTURER = 'smart-home-tui';

/** An entity id part HA accepts: lower case letters, digits and underscores. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** Available while every listed client is online (the device's own and, for derived values, the bridge's). */
function availability(...topicsOnline: string[]): Component {
  return { avty: topicsOnline.map((t) => ({ t })), avty_mode: 'all' };
}

const PRESENCE = 'presence_';

export function presenceComponentId(userName: string): string {
  return `${PRESENCE}${userName}`;
}

/** The person a presence component is for, or undefined for another component. */
export function personOf(componentId: string): string | undefined {
  return componentId.startsWith(PRESENCE) ? componentId.slice(PRESENCE.length) : undefined;
}

function thermostat(): Component {
  const state = topics.thermostatState;
  return {
    p: 'climate',
    name: 'Thermostat',
    uniq_id: `${HOME_NODE_ID}_thermostat`,
    default_entity_id: 'climate.smart_home_thermostat',
    curr_temp_t: state,
    curr_temp_tpl: '{{ value_json.room_temperature }}',
    temp_stat_t: state,
    temp_stat_tpl: '{{ value_json.setpoint }}',
    temp_cmd_t: haTopics.thermostatTargetCommand,
    mode_stat_t: state,
    mode_stat_tpl: '{{ value_json.mode }}',
    mode_cmd_t: haTopics.thermostatModeCommand,
    modes: ['heat', 'off'],
    act_t: haTopics.thermostatAction,
    min_temp: PREFERENCE_CELSIUS.min,
    max_temp: PREFERENCE_CELSIUS.max,
    temp_step: 0.5,
    precision: 0.1,
    temp_unit: 'C',
    ...availability(haTopics.bridgeAvailability, haTopics.thermostatAvailability),
  };
}

function presence(userName: string): Component {
  return {
    p: 'device_tracker',
    name: userName,
    uniq_id: `${HOME_NODE_ID}_presence_${userName}`,
    default_entity_id: `device_tracker.smart_home_${slug(userName)}`,
    stat_t: haTopics.presence(userName),
    pl_home: haValues.home,
    pl_not_home: haValues.notHome,
    ic: 'mdi:account',
    ...availability(haTopics.bridgeAvailability, haTopics.doorLockerAvailability),
  };
}

function peopleHome(): Component {
  return {
    p: 'sensor',
    name: 'People at home',
    uniq_id: `${HOME_NODE_ID}_people_home`,
    default_entity_id: 'sensor.smart_home_people_at_home',
    stat_t: haTopics.peopleHome,
    stat_cla: 'measurement',
    ic: 'mdi:home-account',
    ...availability(haTopics.bridgeAvailability, haTopics.doorLockerAvailability),
  };
}

/** The switch, temperature and over-heating of one smart object, keyed by component id. */
function smartObject(deviceId: string, alsoAvailable: readonly string[] = []): Record<string, Component> {
  const own = [haTopics.smartObjectAvailability(deviceId), ...alsoAvailable];
  const entity = slug(`smart_home_${deviceId}`);
  return {
    [`${deviceId}_switch`]: {
      p: 'switch',
      name: `${deviceId}`,
      uniq_id: `${HOME_NODE_ID}_${deviceId}_switch`,
      default_entity_id: `switch.${entity}`,
      stat_t: topics.switchTelemetry(deviceId),
      val_tpl: '{{ value_json.value }}',
      cmd_t: topics.switchAction(deviceId),
      cmd_tpl: '{"action_type":"SWITCH","action_value":"{{ value }}"}',
      pl_on: haValues.on,
      pl_off: haValues.off,
      qos: 1,
      ...availability(...own),
    },
    [`${deviceId}_temperature`]: {
      p: 'sensor',
      name: `${deviceId} temperature`,
      uniq_id: `${HOME_NODE_ID}_${deviceId}_temperature`,
      default_entity_id: `sensor.${entity}_temperature`,
      stat_t: topics.temperatureTelemetry(deviceId),
      val_tpl: '{{ value_json.value }}',
      dev_cla: 'temperature',
      unit_of_meas: '°C',
      stat_cla: 'measurement',
      ...availability(...own),
    },
    [`${deviceId}_over_heating`]: {
      p: 'binary_sensor',
      name: `${deviceId} over-heating`,
      uniq_id: `${HOME_NODE_ID}_${deviceId}_over_heating`,
      default_entity_id: `binary_sensor.${entity}_over_heating`,
      stat_t: haTopics.overHeating(deviceId),
      dev_cla: 'heat',
      ...availability(haTopics.bridgeAvailability, ...own),
    },
  };
}

function carparkLot(lot: string): Record<string, Component> {
  const entity = `smart_home_car_park_${slug(lot)}`;
  return {
    [`carpark_${lot}_spaces`]: {
      p: 'sensor',
      name: `Car park ${lot} free spaces`,
      uniq_id: `${HOME_NODE_ID}_carpark_${lot}_spaces`,
      default_entity_id: `sensor.${entity}_free_spaces`,
      stat_t: topics.carparkDisplay(lot),
      val_tpl: '{{ value_json.spaces }}',
      stat_cla: 'measurement',
      ic: 'mdi:parking',
      ...availability(haTopics.carparkAvailability),
    },
    [`carpark_${lot}_full`]: {
      p: 'binary_sensor',
      name: `Car park ${lot} full`,
      uniq_id: `${HOME_NODE_ID}_carpark_${lot}_full`,
      default_entity_id: `binary_sensor.${entity}_full`,
      stat_t: haTopics.carparkFull(lot),
      ic: 'mdi:car-multiple',
      ...availability(haTopics.bridgeAvailability, haTopics.carparkAvailability),
    },
  };
}

function origin(version: string): Record<string, unknown> {
  return { name: MANUFACTURER, sw: version };
}

/**
 * The home's device config. Of `known` (component id -> platform, what HA was told before), each
 * the home no longer has (a deleted person) is sent with its platform only: that is how HA's
 * device discovery removes one component and keeps the rest.
 */
export function homeConfig(parts: HomeParts, known: ReadonlyMap<string, string> = new Map()): DeviceConfig {
  const cmps: Record<string, Component> = { thermostat: thermostat(), people_home: peopleHome() };
  for (const person of parts.people) cmps[presenceComponentId(person)] = presence(person);
  for (const deviceId of parts.smartObjects) Object.assign(cmps, smartObject(deviceId));
  for (const lot of parts.lots) Object.assign(cmps, carparkLot(lot));
  for (const [id, platform] of known) if (!(id in cmps)) cmps[id] = { p: platform };
  return {
    dev: { ids: [HOME_NODE_ID], name: 'Smart home', mf: MANUFACTURER, mdl: 'Simulated MQTT smart home', sw: parts.version },
    o: origin(parts.version),
    cmps,
  };
}

/** A fleet object's own device, shown in HA as connected through the home. */
/** A fleet object's config; one behind a gateway is available while both it and its gateway are. */
export function fleetObjectConfig(deviceId: string, version: string, gatewayId?: string): DeviceConfig {
  const nodeId = fleetNodeId(deviceId);
  return {
    dev: { ids: [nodeId], name: deviceId, mf: MANUFACTURER, mdl: 'Simulated smart object', sw: version, via_device: HOME_NODE_ID },
    o: origin(version),
    cmps: smartObject(deviceId, gatewayId === undefined ? [] : [haTopics.gatewayAvailability(gatewayId)]),
  };
}

/**
 * Component id -> platform of the live components of a config HA holds, to know what to withdraw
 * later. One already withdrawn (its platform only) is left out, so withdrawals do not pile up.
 */
export function componentsOf(payload: Buffer): Map<string, string> {
  const found = new Map<string, string>();
  try {
    const config = JSON.parse(payload.toString('utf8')) as { cmps?: Record<string, Record<string, unknown> | null> };
    for (const [id, component] of Object.entries(config.cmps ?? {})) {
      const platform = component?.['p'];
      if (typeof platform === 'string' && Object.keys(component!).length > 1) found.set(id, platform);
    }
  } catch {
    // Not ours to read: a broken retained config is simply replaced.
  }
  return found;
}
