/**
 * The registration app: people sign up with a preferred temperature, change it, or leave.
 * It only publishes on `smart_home/user_data`; devices decide what that means for them.
 */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from './connection.js';
import { listenToUserRecords } from './user-records.js';
import { HomeError } from './errors.js';
import { inRange, isUserName, PREFERENCE_CELSIUS, rangeText, topics, userRecord, userRoster, USER_NAME_MAX_LENGTH, type UserRecord } from '../wire/index.js';

export class RegistrationApp {
  readonly clientId: string;
  private client: MqttClient | undefined;
  /** Names and preferences seen on the wire, so a delete can carry the whole record. */
  private readonly known = new Map<string, number>();

  constructor(private readonly options: DeviceOptions) {
    this.clientId = options.clientId ?? uniqueClientId('registration');
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login);
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic !== topics.userRoster || payload.length === 0) return;
      // The door locker's retained list: who exists even if we started after they registered.
      const roster = userRoster.parse(payload);
      if (roster.ok) for (const entry of roster.value) this.known.set(entry.userName, entry.temperature);
    });
    await client.subscribeAsync(topics.userRoster, { qos: 0 });
    const learn = (record: UserRecord) => this.learn(record);
    await listenToUserRecords(client, { registered: learn, passed: learn });
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }

  async register(name: string, temperature: number): Promise<void> {
    checkName(name);
    checkPreference(temperature);
    await this.send(topics.userData, { appInfo: '1', userName: name, temperature, isHome: false });
  }

  async changeTemperature(name: string, temperature: number): Promise<void> {
    checkName(name);
    checkPreference(temperature);
    if (!this.known.has(name)) throw new HomeError(`Nobody called ${name} is registered.`);
    await this.send(topics.userData, { appInfo: '1', userName: name, temperature, isHome: false });
  }

  /** A delete goes to both topics, as the original app did. */
  async remove(name: string): Promise<void> {
    checkName(name);
    const temperature = this.known.get(name);
    if (temperature === undefined) throw new HomeError(`Nobody called ${name} is registered.`);
    const record: UserRecord = { appInfo: '-1', userName: name, temperature, isHome: false };
    await this.send(topics.userData, record);
    await this.send(topics.presenceData, record);
  }

  private learn(record: UserRecord): void {
    if (record.appInfo === '-1') this.known.delete(record.userName);
    else this.known.set(record.userName, record.temperature);
  }

  private async send(topic: string, record: UserRecord): Promise<void> {
    if (this.client === undefined) throw new HomeError('The registration app is not connected.');
    // Learn our own record now so a quick change right after registering is not refused.
    this.learn(record);
    await this.client.publishAsync(topic, userRecord.encode(record), { qos: 0 });
  }
}

function checkName(name: string): void {
  if (!isUserName(name)) throw new HomeError(`"${name}" is not a valid name: use letters and digits only (at most ${USER_NAME_MAX_LENGTH}).`);
}

function checkPreference(temperature: number): void {
  if (!inRange(temperature, PREFERENCE_CELSIUS)) {
    throw new HomeError(`A preferred temperature is a number ${rangeText(PREFERENCE_CELSIUS)}.`);
  }
}
