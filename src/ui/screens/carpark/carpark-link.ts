/**
 * The car-park screen's own MQTT client: it reads every sign, passage and refusal, and sends the
 * cars people let in or out, exactly as a gate sensor would. It never calls the controller.
 */
import type { MqttClient } from 'mqtt';
import { realClock, type Clock } from '../../../sim/clock.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../../../sim/connection.js';
import { carPassage, carparkDisplay, carparkRefusal, epochSecondsOf, filters, matchTopic, topics } from '../../../wire/index.js';
import { Feed } from '../../feed.js';
import { carparkReducer, initialCarparkState, type CarparkAction, type CarparkState } from './carpark-state.js';

/** What a person's car reads at the gate before the controller has said anything about the weather. */
export const FALLBACK_TEMPERATURE_C = 12;

export interface CarparkLinkOptions {
  url: string;
  login?: Login;
  clock?: Clock;
  lots: ReadonlyArray<{ id: string; capacity: number }>;
  clientId?: string;
}

export class CarparkLink {
  readonly clientId: string;
  readonly feed: Feed<CarparkState, CarparkAction>;
  private client: MqttClient | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: CarparkLinkOptions) {
    this.clientId = options.clientId ?? uniqueClientId('carpark-screen');
    this.clock = options.clock ?? realClock();
    this.feed = new Feed(initialCarparkState(options.lots), carparkReducer);
  }

  async start(): Promise<void> {
    const client = await openConnection(this.options.url, this.clientId, this.options.login);
    this.client = client;
    client.on('message', (topic, payload, packet) => this.heard(topic, payload, packet.retain));
    await client.subscribeAsync([filters.allCarparkDisplays, filters.allCarparkRefusals, ...filters.allCarparkPassages], { qos: 1 });
  }

  async stop(): Promise<void> {
    await closeConnection(this.client);
    this.client = undefined;
  }

  /** A car passes the lot's entry or exit, carrying the temperature the sign last showed. */
  async send(lot: string, passage: 'entry' | 'exit'): Promise<void> {
    const what = passage === 'entry' ? `let a car into ${lot}` : `let a car out of ${lot}`;
    const shown = this.feed.getSnapshot().lots.find((l) => l.id === lot)?.display?.temperatureC;
    const payload = carPassage.encode({ timestamp: epochSecondsOf(this.clock.now()), temperatureC: shown ?? FALLBACK_TEMPERATURE_C });
    const topic = passage === 'entry' ? topics.carparkEntry(lot) : topics.carparkExit(lot);
    try {
      if (!this.client?.connected) throw new Error('not connected to the broker');
      await this.client.publishAsync(topic, payload, { qos: 1 });
    } catch (error) {
      this.feed.dispatch({ type: 'send-failed', what, reason: error instanceof Error ? error.message : String(error), time: this.clock.now() });
    }
  }

  private heard(topic: string, payload: Buffer, retained: boolean): void {
    // An empty retained payload clears a sign; there is nothing to show for it.
    if (payload.length === 0) return;
    const known = matchTopic(topic);
    if (known === null) return;
    // A retained passage or refusal is an old event (someone published it with -r): no car passes now.
    if (retained && known.kind !== 'carpark-display') return;
    const time = this.clock.now();
    const bad = (reason: string) => this.feed.dispatch({ type: 'bad-payload', topic, reason, time });
    switch (known.kind) {
      case 'carpark-display': {
        const parsed = carparkDisplay.parse(payload);
        if (parsed.ok) this.feed.dispatch({ type: 'display', lot: known.lot, display: parsed.value });
        else bad(parsed.reason);
        return;
      }
      case 'carpark-entry':
      case 'carpark-exit': {
        const parsed = carPassage.parse(payload);
        const passage = known.kind === 'carpark-entry' ? 'entry' : 'exit';
        if (parsed.ok) this.feed.dispatch({ type: 'passage', lot: known.lot, passage, temperatureC: parsed.value.temperatureC, time });
        else bad(parsed.reason);
        return;
      }
      case 'carpark-refused': {
        const parsed = carparkRefusal.parse(payload);
        if (parsed.ok) this.feed.dispatch({ type: 'refused', lot: known.lot, refusal: parsed.value, time });
        else bad(parsed.reason);
        return;
      }
    }
  }
}
