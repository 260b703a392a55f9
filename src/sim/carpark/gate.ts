/**
 * A sensor at a car park's entry or exit: now and then a simulated car passes it, and it
 * publishes the passage (`carpark/<lot>/entry|exit`, QoS 1) with the time and its own
 * temperature reading. The exit sensor watches the sign so that cars only leave a lot that has
 * cars in it; the entry sensor lets cars try a FULL lot, as drivers do.
 */
import type { MqttClient } from 'mqtt';
import type { Random, TimerHandle } from '../clock.js';
import { closeConnection, openConnection, uniqueClientId, type DeviceOptions } from '../connection.js';
import { carPassage, carparkDisplay, epochSecondsOf, topics } from '../../wire/index.js';

export interface CarparkGateOptions extends DeviceOptions {
  lot: string;
  capacity: number;
  passage: 'entry' | 'exit';
  /** Average cars per hour past this sensor; 0 = only cars people send. */
  carsPerHour: number;
  /** Where the reading starts; it wanders a few degrees around it. */
  temperatureC?: number;
}

export class CarparkGate {
  readonly clientId: string;
  private client: MqttClient | undefined;
  private timer: TimerHandle | undefined;
  private readonly random: Random;
  private readonly base: number;
  private temperature: number;
  /** Free spaces as the sign last said; unknown until it speaks. */
  private spaces: number | undefined;

  constructor(private readonly options: CarparkGateOptions) {
    this.clientId = options.clientId ?? uniqueClientId(`carpark-${options.lot}-${options.passage}`);
    this.random = options.random ?? Math.random;
    this.base = options.temperatureC ?? 12;
    this.temperature = this.base;
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login);
    this.client = client;
    if (this.options.passage === 'exit') {
      client.on('message', (_topic, payload) => {
        const parsed = carparkDisplay.parse(payload);
        if (parsed.ok) this.spaces = parsed.value.spaces;
      });
      await client.subscribeAsync(topics.carparkDisplay(this.options.lot), { qos: 1 });
    }
    this.arm();
  }

  async stop(): Promise<void> {
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await closeConnection(this.client);
    this.client = undefined;
  }

  /** The next car comes after an exponential wait, as arrivals at a gate do. */
  private arm(): void {
    if (this.options.carsPerHour <= 0) return;
    const meanMs = 3_600_000 / this.options.carsPerHour;
    const wait = -Math.log(1 - this.random()) * meanMs;
    this.timer = this.options.clock.setTimeout(() => {
      this.carPasses();
      this.arm();
    }, Math.max(1000, Math.round(wait)));
  }

  private carPasses(): void {
    // Nobody leaves an empty lot; the sign not yet seen counts as empty.
    if (this.options.passage === 'exit' && (this.spaces ?? this.options.capacity) >= this.options.capacity) return;
    this.temperature += (this.random() - 0.5) * 0.6;
    // Pulled back toward the base so the reading never drifts away.
    this.temperature += (this.base - this.temperature) * 0.1;
    const payload = carPassage.encode({ timestamp: epochSecondsOf(this.options.clock.now()), temperatureC: this.temperature });
    const topic = this.options.passage === 'entry' ? topics.carparkEntry(this.options.lot) : topics.carparkExit(this.options.lot);
    this.client?.publish(topic, payload, { qos: 1 });
  }
}
