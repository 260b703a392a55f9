/**
 * The car-park controller: hears every car that passes the entry and exit sensors of its lots,
 * counts the free spaces (never below 0, never above the capacity), keeps the count in its slice
 * of the data file, and publishes the sign retained on `carpark/<lot>/display`: on every change
 * and at the start of every minute, so the sign's clock moves. A car it cannot count (an entry
 * while FULL, an exit from an empty lot) changes nothing; it says so on `carpark/<lot>/refused`.
 */
import type { MqttClient } from 'mqtt';
import type { TimerHandle } from '../clock.js';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from '../connection.js';
import type { SliceStore } from '../slice-store.js';
import {
  carPassage,
  carparkDisplay,
  carparkRefusal,
  epochSecondsOf,
  haTopics,
  matchTopic,
  signTime,
  topics,
  type CarparkDisplay,
  type CarparkRefusal,
} from '../../wire/index.js';

export type CarparkSlice = Record<string, { free: number }>;

export interface Lot {
  id: string;
  capacity: number;
}

export interface CarparkControllerOptions extends DeviceOptions {
  lots: readonly Lot[];
  slice: SliceStore<CarparkSlice>;
}

interface LotState {
  capacity: number;
  free: number;
  /** The last sensor's reading; null until a car passes. */
  temperatureC: number | null;
}

const MINUTE_MS = 60_000;

export class CarparkController {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private readonly lots = new Map<string, LotState>();
  private minuteTimer: TimerHandle | undefined;

  constructor(private readonly options: CarparkControllerOptions) {
    this.clientId = options.clientId ?? uniqueClientId('carpark');
    const saved = options.slice.read();
    for (const lot of options.lots) {
      const free = saved[lot.id]?.free;
      // A capacity lowered since the last run must not leave more free spaces than there are.
      const start = free === undefined ? lot.capacity : Math.min(Math.max(0, free), lot.capacity);
      this.lots.set(lot.id, { capacity: lot.capacity, free: start, temperatureC: null });
    }
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login, haTopics.carparkAvailability);
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      // A retained passage is an old event; counting it again on every start would lose cars.
      if (payload.length === 0 || packet.retain) return;
      const known = matchTopic(topic);
      if (known === null || (known.kind !== 'carpark-entry' && known.kind !== 'carpark-exit')) return;
      const parsed = carPassage.parse(payload);
      if (!parsed.ok) return;
      this.pass(known.lot, known.kind === 'carpark-entry' ? 'entry' : 'exit', parsed.value.temperatureC);
    });
    this.save();
    const passages = [...this.lots.keys()].flatMap((lot) => [topics.carparkEntry(lot), topics.carparkExit(lot)]);
    await client.subscribeAsync(passages, { qos: 1 });
    for (const lot of this.lots.keys()) this.publishDisplay(lot);
    this.armMinute();
  }

  async stop(): Promise<void> {
    this.options.clock.clearTimeout(this.minuteTimer);
    this.minuteTimer = undefined;
    await closeConnection(this.client);
    this.client = undefined;
  }

  /** Free spaces per lot, as the sign shows them. */
  spaces(lot: string): number | undefined {
    return this.lots.get(lot)?.free;
  }

  private pass(lotId: string, passage: 'entry' | 'exit', temperatureC: number): void {
    const lot = this.lots.get(lotId);
    if (!lot) return;
    lot.temperatureC = temperatureC;
    const refusedFor = passage === 'entry' ? (lot.free === 0 ? 'full' : null) : lot.free === lot.capacity ? 'empty' : null;
    if (refusedFor !== null) {
      const refusal: CarparkRefusal = { timestamp: epochSecondsOf(this.options.clock.now()), passage, reason: refusedFor, spaces: lot.free };
      this.client?.publish(topics.carparkRefused(lotId), carparkRefusal.encode(refusal), { qos: 1 });
      return;
    }
    lot.free += passage === 'entry' ? -1 : 1;
    this.save();
    this.publishDisplay(lotId);
  }

  /** The sign as it reads now. */
  display(lotId: string): CarparkDisplay | undefined {
    const lot = this.lots.get(lotId);
    if (!lot) return undefined;
    return { time: signTime(this.options.clock.now()), spaces: lot.free, full: lot.free === 0, temperatureC: lot.temperatureC };
  }

  private publishDisplay(lotId: string): void {
    const display = this.display(lotId);
    if (!display) return;
    this.client?.publish(topics.carparkDisplay(lotId), carparkDisplay.encode(display), { qos: 1, retain: true });
  }

  /** Wakes at the start of the next minute (not 60 s from now), so HH:MM on the sign is never late. */
  private armMinute(): void {
    const now = this.options.clock.now();
    const wait = MINUTE_MS - (now % MINUTE_MS);
    this.minuteTimer = this.options.clock.setTimeout(() => {
      for (const lot of this.lots.keys()) this.publishDisplay(lot);
      this.armMinute();
    }, wait);
  }

  private save(): void {
    this.options.slice.write((slice) => {
      for (const [id, lot] of this.lots) slice[id] = { free: lot.free };
    });
  }
}
