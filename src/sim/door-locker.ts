/**
 * The door locker: knows every registered person (from `user_data`) and whether they are in.
 * When someone passes the door it publishes their whole record on `presence_data`.
 */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from './connection.js';
import { HomeError } from './errors.js';
import { listenToUserRecords } from './user-records.js';
import type { DoorLockerSlice, SliceStore } from './slice-store.js';
import { formatTemperature, haTopics, topics, userRecord, userRoster, type UserRecord } from '../wire/index.js';

export interface DoorLockerOptions extends DeviceOptions {
  slice: SliceStore<DoorLockerSlice>;
}

interface Person {
  temperature: number;
  isHome: boolean;
}

export class DoorLocker {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private readonly people = new Map<string, Person>();

  constructor(private readonly options: DoorLockerOptions) {
    this.clientId = options.clientId ?? uniqueClientId('door-locker');
    for (const [name, saved] of Object.entries(options.slice.read().users)) {
      const temperature = Number(saved.temperature);
      if (Number.isFinite(temperature)) this.people.set(name, { temperature, isHome: saved.isHome });
    }
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login, haTopics.doorLockerAvailability);
    this.client = client;
    await listenToUserRecords(
      client,
      { registered: (record) => this.registered(record), passed: (record) => this.passed(record) },
    );
    this.publishRoster();
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }

  /** The person passes the door: home becomes away and away becomes home. */
  async toggle(name: string): Promise<void> {
    const person = this.people.get(name);
    if (person === undefined) throw new HomeError(`Nobody called ${name} is registered.`);
    if (this.client === undefined) throw new HomeError('The door locker is not connected.');
    const record: UserRecord = { appInfo: '0', userName: name, temperature: person.temperature, isHome: !person.isHome };
    this.passed(record);
    await this.client.publishAsync(topics.presenceData, userRecord.encode(record), { qos: 0 });
  }

  /** Registration says who exists and what they prefer; it never says who is in. */
  private registered(record: UserRecord): void {
    if (record.appInfo === '-1') {
      this.forget(record.userName);
      return;
    }
    const known = this.people.get(record.userName);
    this.remember(record.userName, { temperature: record.temperature, isHome: known?.isHome ?? false });
  }

  private passed(record: UserRecord): void {
    if (record.appInfo === '-1') this.forget(record.userName);
    else this.remember(record.userName, { temperature: record.temperature, isHome: record.isHome });
  }

  private remember(name: string, person: Person): void {
    const known = this.people.get(name);
    if (known !== undefined && known.temperature === person.temperature && known.isHome === person.isHome) return;
    this.people.set(name, person);
    this.publishRoster();
    this.options.slice.write((slice) => {
      slice.users[name] = { temperature: formatTemperature(person.temperature), isHome: person.isHome };
    });
  }

  /** Who the door locker knows, retained: user_data is not, so this is how a restarted UI learns them. */
  private publishRoster(): void {
    const entries = [...this.people].map(([userName, person]) => ({ userName, ...person }));
    this.client?.publish(topics.userRoster, userRoster.encode(entries), { qos: 1, retain: true });
  }

  private forget(name: string): void {
    if (!this.people.delete(name)) return;
    this.publishRoster();
    this.options.slice.write((slice) => {
      delete slice.users[name];
    });
  }
}
