/**
 * The home's Home Assistant bridge: an MQTT client like any device. It publishes the discovery
 * configs (the home's retained) and again whenever HA says it is back (its birth message), keeps
 * them in step with the people the door locker knows, and removes what the home no longer has. It turns
 * the home's own messages into the plain values HA reads (presence, action, over-heating, a full
 * lot) and HA's commands into the home's own messages: a new target temperature becomes the
 * registration app's user_data record for the person the thermostat follows, or the default
 * setpoint with nobody home. The switch needs no bridge: HA publishes the ActionDescriptor itself.
 */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from '../connection.js';
import { fleetDeviceId, fleetGatewayId } from '../fleet-plan.js';
import {
  carparkDisplay,
  deviceConfigNodeId,
  filters,
  haTopics,
  HA_BIRTH,
  haValues,
  matchTopic,
  setpointText,
  temperatureMessage,
  thermostatMode,
  thermostatState,
  topics,
  userRecord,
  userRoster,
  type RosterEntry,
} from '../../wire/index.js';
import { componentsOf, fleetNodeId, fleetObjectConfig, HOME_NODE_ID, homeConfig, isOwnNodeId, personOf } from './discovery.js';

export interface BridgeOptions extends Omit<DeviceOptions, 'clock'> {
  /** HA's discovery prefix, `homeassistant` unless told otherwise. */
  prefix: string;
  /** The home's own smart objects. */
  smartObjects: readonly string[];
  /** How many fleet objects run (`--fleet N`); each is shown as a device of its own. */
  fleet: number;
  /** Fleet objects sit behind gateways (`--fleet-via gateway`) whose availability they share. */
  fleetViaGateway?: boolean;
  lots: readonly string[];
  /** The smart object's over-heating line, °C (data/home.json). */
  overHeatingAbove: number;
  version: string;
}

export class HomeAssistantBridge {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private people: RosterEntry[] = [];
  private rosterSeen = false;
  /**
   * Component id -> platform of every component HA has been told of, this run or (from the retained
   * config) an earlier one, so one the home no longer has (a deleted person) can be withdrawn.
   */
  private readonly known = new Map<string, string>();
  private lastHomeConfig = '';
  private forUser: string | null = null;
  /** The last value published on each derived topic, so a value is sent once, when it changes. */
  private readonly published = new Map<string, string>();
  private readonly objects: Set<string>;
  private readonly fleet: string[];

  constructor(private readonly options: BridgeOptions) {
    this.clientId = options.clientId ?? uniqueClientId('home-assistant');
    this.fleet = Array.from({ length: options.fleet }, (_, i) => fleetDeviceId(i + 1));
    this.objects = new Set([...options.smartObjects, ...this.fleet]);
  }

  async start(): Promise<void> {
    const { prefix } = this.options;
    const client = await openConnection(this.options.url, this.clientId, this.options.login, haTopics.bridgeAvailability);
    this.client = client;
    client.on('message', (topic, payload) => this.heard(topic, payload));
    // What HA already holds comes first, so the first config knows what to withdraw.
    await client.subscribeAsync(haTopics.allDeviceConfigs(prefix), { qos: 1 });
    await client.subscribeAsync(
      {
        ...Object.fromEntries(haTopics.status(prefix).map((topic) => [topic, { qos: 1 as const }])),
        [haTopics.fleetSize]: { qos: 1 },
        [topics.userRoster]: { qos: 1 },
        [topics.thermostatState]: { qos: 0 },
        // The over-heating of the objects it announces: with a fleet, every object's; without one,
        // only the home's own, so the readings of devices it shows nothing for (another machine's
        // fleet, a class's devices) are not all sent to it as well.
        ...Object.fromEntries(
          (this.fleet.length > 0 ? [filters.allTemperatureTelemetry] : this.options.smartObjects.map(topics.temperatureTelemetry)).map((topic) => [topic, { qos: 0 as const }]),
        ),
        [filters.allCarparkDisplays]: { qos: 1 },
        [haTopics.thermostatTargetCommand]: { qos: 1 },
        [haTopics.thermostatModeCommand]: { qos: 1 },
      },
    );
    this.publishFleet();
    // What the next run needs to withdraw the objects of a larger fleet; nothing to keep without one.
    client.publish(haTopics.fleetSize, this.fleet.length > 0 ? String(this.fleet.length) : '', { qos: 1, retain: true });
    // The home's config waits for the door locker's retained roster, which follows the SUBACK: sent
    // without the people, it would withdraw everyone HA knows from the last run, then add them again.
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }

  private heard(topic: string, payload: Buffer): void {
    const { prefix } = this.options;
    if (haTopics.status(prefix).includes(topic)) {
      if (payload.toString() === HA_BIRTH) this.republish();
      return;
    }
    if (topic === haTopics.thermostatTargetCommand) return this.targetCommand(payload);
    if (topic === haTopics.thermostatModeCommand) return this.modeCommand(payload);
    const nodeId = deviceConfigNodeId(prefix, topic);
    if (nodeId !== undefined) return this.configHeard(topic, nodeId, payload);
    if (payload.length === 0) return;
    if (topic === haTopics.fleetSize) return this.fleetSizeHeard(payload);
    if (topic === topics.userRoster) return this.rosterHeard(payload);
    if (topic === topics.thermostatState) return this.thermostatHeard(payload);
    const known = matchTopic(topic);
    if (known?.kind === 'temperature-telemetry') return this.temperatureHeard(known.deviceId, payload);
    if (known?.kind === 'carpark-display') return this.displayHeard(known.lot, payload);
  }

  /** HA restarted: it forgot every config that was not retained, and wants them all again. */
  private republish(): void {
    this.lastHomeConfig = '';
    if (this.rosterSeen) this.publishHome();
    this.publishFleet();
  }

  private configHeard(topic: string, nodeId: string, payload: Buffer): void {
    if (!isOwnNodeId(nodeId) || payload.length === 0) return;
    if (nodeId === HOME_NODE_ID) {
      for (const [id, platform] of componentsOf(payload)) this.known.set(id, platform);
      return;
    }
    // A retained fleet object config (a home that kept them): HA should forget the ones no longer running.
    const deviceId = nodeId.slice(`${HOME_NODE_ID}_`.length);
    if (!this.objects.has(deviceId)) this.client?.publish(topic, '', { qos: 1, retain: true });
  }

  /** The last run's fleet size: an empty config tells HA to remove each object that no longer runs. */
  private fleetSizeHeard(payload: Buffer): void {
    const before = Number(payload.toString());
    if (!Number.isInteger(before)) return;
    for (let i = this.fleet.length + 1; i <= before; i++) {
      this.client?.publish(haTopics.deviceConfig(this.options.prefix, fleetNodeId(fleetDeviceId(i))), '', { qos: 1 });
    }
  }

  private rosterHeard(payload: Buffer): void {
    const roster = userRoster.parse(payload);
    if (!roster.ok) return;
    this.rosterSeen = true;
    const names = new Set(roster.value.map((entry) => entry.userName));
    // Deleted since the last roster, or (known from HA's retained config) while the bridge was down.
    const before = [...this.people.map((person) => person.userName), ...[...this.known.keys()].flatMap((id) => personOf(id) ?? [])];
    for (const gone of before.filter((name) => !names.has(name))) this.publishValue(haTopics.presence(gone), '');
    this.people = roster.value;
    this.publishHome();
    for (const person of this.people) this.publishValue(haTopics.presence(person.userName), person.isHome ? haValues.home : haValues.notHome);
    this.publishValue(haTopics.peopleHome, String(this.people.filter((person) => person.isHome).length));
  }

  private thermostatHeard(payload: Buffer): void {
    const state = thermostatState.parse(payload);
    if (!state.ok) return;
    this.forUser = state.value.forUser;
    const action = state.value.mode === 'off' ? 'off' : state.value.heating ? 'heating' : 'idle';
    this.publishValue(haTopics.thermostatAction, action);
  }

  private temperatureHeard(deviceId: string, payload: Buffer): void {
    if (!this.objects.has(deviceId)) return;
    const message = temperatureMessage.parse(payload);
    if (!message.ok) return;
    this.publishValue(haTopics.overHeating(deviceId), message.value.value > this.options.overHeatingAbove ? haValues.on : haValues.off);
  }

  private displayHeard(lot: string, payload: Buffer): void {
    if (!this.options.lots.includes(lot)) return;
    const display = carparkDisplay.parse(payload);
    if (display.ok) this.publishValue(haTopics.carparkFull(lot), display.value.full ? haValues.on : haValues.off);
  }

  /** HA's new target: the preference of whoever the thermostat follows, else the default setpoint. */
  private targetCommand(payload: Buffer): void {
    const parsed = setpointText.parse(payload);
    if (!parsed.ok) return;
    const temperature = parsed.value;
    if (this.forUser !== null) {
      // The registration app's own change: is_home is "0" there too, since registration never says who is in.
      const record = userRecord.encode({ appInfo: '1', userName: this.forUser, temperature, isHome: false });
      this.client?.publish(topics.userData, record, { qos: 0 });
    } else {
      this.client?.publish(haTopics.thermostatDefaultSetpoint, setpointText.encode(temperature), { qos: 1, retain: true });
    }
  }

  private modeCommand(payload: Buffer): void {
    const mode = thermostatMode.parse(payload);
    if (!mode.ok) return;
    this.client?.publish(haTopics.thermostatMode, thermostatMode.encode(mode.value), { qos: 1, retain: true });
  }

  private publishHome(): void {
    const config = homeConfig(
      { people: this.people.map((person) => person.userName), smartObjects: this.options.smartObjects, lots: this.options.lots, version: this.options.version },
      this.known,
    );
    const text = JSON.stringify(config);
    if (text === this.lastHomeConfig) return;
    this.lastHomeConfig = text;
    for (const [id, component] of Object.entries(config.cmps)) this.known.set(id, String(component['p']));
    this.client?.publish(haTopics.deviceConfig(this.options.prefix, HOME_NODE_ID), text, { qos: 1, retain: true });
  }

  /**
   * Not retained, unlike the home's: HA asks again with its birth message on every connect, and
   * 2,000 retained configs (3 MB) would make the data file almost four times larger, rewritten on every save.
   */
  private publishFleet(): void {
    this.fleet.forEach((deviceId, i) => {
      const gateway = this.options.fleetViaGateway ? fleetGatewayId(i + 1) : undefined;
      const config = JSON.stringify(fleetObjectConfig(deviceId, this.options.version, gateway));
      this.client?.publish(haTopics.deviceConfig(this.options.prefix, fleetNodeId(deviceId)), config, { qos: 1 });
    });
  }

  /** A derived value, retained, sent only when it changes; '' clears it. */
  private publishValue(topic: string, value: string): void {
    if (this.published.get(topic) === value) return;
    this.published.set(topic, value);
    this.client?.publish(topic, value, { qos: 1, retain: true });
  }
}
