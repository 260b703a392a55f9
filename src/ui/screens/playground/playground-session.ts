/** Everything the Playground screen runs: three producers, three consumers and the authorized demo, each its own client. */
import { realClock, type Clock, type Random } from '../../../sim/clock.js';
import type { Login } from '../../../sim/connection.js';
import { Feed } from '../../feed.js';
import { AuthorizedDemo, type DemoLogin } from './authorized.js';
import { Consumer, CONSUMERS } from './consumers.js';
import {
  FIRST_RATE_HZ,
  playgroundReducer,
  PRODUCER_KINDS,
  stepRate,
  type PlaygroundAction,
  type PlaygroundState,
} from './playground-state.js';
import { Producer, producerTopic } from './producers.js';

export interface PlaygroundSessionOptions {
  url: string;
  login?: Login;
  clock?: Clock;
  random?: Random;
  alice?: DemoLogin;
  bob?: DemoLogin;
}

export function initialPlaygroundState(brokerChecksLogins: boolean): PlaygroundState {
  return {
    producers: PRODUCER_KINDS.map((kind) => ({ kind, topic: producerTopic(kind), running: false, rateHz: FIRST_RATE_HZ, sent: 0 })),
    consumers: CONSUMERS.map((plan) => ({ name: plan.name, filters: plan.filters, heard: [], count: 0 })),
    authorized: { brokerChecksLogins, steps: [] },
  };
}

export class PlaygroundSession {
  readonly feed: Feed<PlaygroundState, PlaygroundAction>;
  private readonly producers: Producer[];
  private readonly consumers: Consumer[];
  private readonly demo: AuthorizedDemo;
  private everShown = false;
  /** Producers that were running when the screen was left, to start again when it is back. */
  private paused: Producer[] = [];

  constructor(options: PlaygroundSessionOptions) {
    const clock = options.clock ?? realClock();
    const random = options.random ?? Math.random;
    const brokerChecksLogins = options.login !== undefined;
    this.feed = new Feed(initialPlaygroundState(brokerChecksLogins), playgroundReducer);
    const common = { url: options.url, login: options.login, clock, feed: this.feed };
    this.producers = PRODUCER_KINDS.map((kind) => new Producer({ ...common, kind, random }));
    this.consumers = CONSUMERS.map((plan) => new Consumer({ ...common, plan }));
    this.demo = new AuthorizedDemo({ url: options.url, brokerChecksLogins, clock, random, feed: this.feed, alice: options.alice, bob: options.bob });
  }

  /** Consumers first, so they hear the producers' first messages; then the demo. */
  async start(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    await this.demo.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.producers.map((producer) => producer.close()));
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.demo.stop();
  }

  toggle(index: number): Promise<void> {
    return this.producers[index]?.toggle() ?? Promise.resolve();
  }

  async startAll(): Promise<void> {
    await Promise.all(this.producers.map((producer) => producer.start()));
  }

  /**
   * The screen is in front. The first time, the course starts as its scripts would (all producers
   * at 1 Hz when `startProducers`, alice's first reading); later, what was running goes on.
   */
  async shown(startProducers: boolean): Promise<void> {
    if (!this.everShown) {
      this.everShown = true;
      if (startProducers) await this.startAll();
      await this.demo.publish();
      return;
    }
    await Promise.all(this.paused.splice(0).map((producer) => producer.start()));
  }

  /** The screen was left: its producers pause, so the course does not flood the home's log unseen. */
  async hidden(): Promise<void> {
    const running = this.producers.filter((producer) => producer.running);
    this.paused.push(...running);
    await Promise.all(running.map((producer) => producer.stop()));
  }

  step(index: number, by: 1 | -1): void {
    const view = this.feed.getSnapshot().producers[index];
    if (view) this.producers[index]?.setRate(stepRate(view.rateHz, by));
  }

  publishAsAlice(): Promise<void> {
    return this.demo.publish();
  }
}
