import { writeFile } from 'node:fs/promises';
import type { Config } from './config.js';
import type { TrafficEntry } from './wire/traffic.js';
import type { BrokerHandle, TrafficNote } from './broker/embedded.js';
import { BrokerError, brokerErrorSentence } from './broker/broker-error.js';
import { flagOfBrokerSetting } from './options.js';
import { LogSink } from './log-sink.js';
import { startBrokerThread } from './broker/thread.js';
import { AclError } from './broker/acl.js';
import { prepareBrokerAuth } from './broker/auth-setup.js';
import { openStore, StoreError, type HomeData, type HomeStore } from './store/index.js';
import { startCarpark } from './sim/carpark/index.js';
import { startChallengeService } from './sim/challenge/service.js';
import { realClock, seededRandom, type Clock } from './sim/clock.js';
import type { HomeDefaults } from './sim/defaults.js';
import { uniqueClientId } from './sim/connection.js';
import { HomeError } from './sim/errors.js';
import { startHome, type Home } from './sim/home.js';
import { startTogether } from './sim/start-in-order.js';
import { startFleet } from './sim/fleet.js';
import { idsPerUnit, type FleetVia } from './sim/fleet-plan.js';
import { startHomeAssistant } from './sim/home-assistant/index.js';
import { defaultBrokerLimits } from './broker/limits.js';
import { embeddedTopics, outsideTopics } from './topic-sources.js';
import type { TopicSource } from './wire/topic-view.js';
import type { HomeSlices, SliceStore } from './sim/slice-store.js';
import { HomeViewState } from './sim/view-state.js';
import { StartStopped } from './shutdown.js';
import { RetainedMirror } from './retained-mirror.js';
import type { HomeActions, HomeViewSource } from './sim/view-types.js';
import { pacedByLoad } from './sim/load-pacing.js';

export interface Runtime {
  readonly brokerUrl: string;
  readonly wsUrl?: string;
  readonly dataFile: string;
  readonly movedAside?: string;
  readonly warnings: string[];
  readonly view: HomeViewSource;
  readonly actions: HomeActions;
  readonly store: HomeStore;
  readonly broker?: BrokerHandle;
  /** Every topic, retained message and (with the embedded broker) client, for the Topics screen. */
  readonly topics: TopicSource;
  /** Stops the embedded broker and starts it again on the same port with the retained messages the store kept; undefined with --broker. */
  readonly restartBroker?: () => Promise<void>;
  /** The login for the program's own MQTT clients while the embedded broker checks logins; undefined = none needed. */
  readonly login?: { username: string; password: string };
  /** Adds a remark of the program to the run's traffic log. */
  note(line: TrafficNote): void;
  /** A scenario's progress for the status bar; undefined clears it. */
  showScenario(text: string | undefined): void;
  /** Stops devices, the broker and the store in reverse order of start; flushes the store. */
  stop(): Promise<void>;
}

export interface RuntimeHooks {
  /** data/home.json, read and checked once by the program for every part that needs it. */
  defaults: HomeDefaults;
  /** Every batch of traffic-log entries, e.g. for the headless printer. */
  onTraffic?: (entries: TrafficEntry[]) => void;
  /** The devices' time (a scenario's faster clock); default the wall clock. */
  clock?: Clock;
  /** A seed for the devices' noise, so a run repeats; default Math.random. */
  seed?: number;
  /** Simulated cars per hour past each car park sensor; default DEFAULT_CARS_PER_HOUR. */
  carsPerHour?: number;
  /**
   * Aborted by a signal: the start stops after the step it is in (a fleet at once), stops what
   * has started and throws StartStopped. The store is then closed, so the data file is written.
   */
  signal?: AbortSignal;
  /** Told of the store as soon as it is open, e.g. to say what a stop at once would leave unwritten. */
  onStore?: (store: HomeStore) => void;
  /**
   * Told of the home's view as soon as it is connected to the broker, before the devices start:
   * a screen can show the broker, its traffic and the devices as they come up.
   */
  onView?: (view: HomeViewSource, topics: TopicSource) => void;
}

/**
 * Ten view updates a second at most keep the log moving; while drawing keeps the UI's thread
 * busier than a fifth of the time (a flood, a loaded machine) they come less often, down to one
 * a second, so the broker and the keys keep the cores. Keys draw at once whatever the traffic does.
 */
const VIEW_PACING = { minMs: 100, maxMs: 1000, busyShare: 0.2 };

/** A little more than the broker's batch interval (10 ms): a remark reads after the packet it is about. */
const REMARK_HOLD_MS = 25;

/** The home's own clients (devices, view, screens) need about twenty connections. */
const HOME_CONNECTIONS = 100;

/** A fleet's own objects are never refused: the connection limit grows with --fleet (with gateways, with their number). */
export function withRoomForFleet(limits: Config['limits'], fleet: number | undefined, via: FleetVia = 'connections'): Config['limits'] {
  if (!fleet) return limits;
  const wanted = Math.ceil(fleet / idsPerUnit(via)) + HOME_CONNECTIONS;
  const current = limits?.maxConnections ?? defaultBrokerLimits.maxConnections;
  return current >= wanted ? limits : { ...limits, maxConnections: wanted };
}

/** Addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || /^::ffff:127\./.test(bare);
}

/** The warning for a broker that others can reach without logging in, or undefined. */
export function exposureWarning(host: string, authRequired: boolean): string | undefined {
  if (authRequired || isLoopback(host)) return undefined;
  return `the broker listens on ${host} without authentication, so anyone who can reach this machine can read and drive the home.`;
}

/** The sentence for a start failure a person can fix, or undefined for a defect. */
export function describeStartError(error: unknown): string | undefined {
  if (error instanceof BrokerError) {
    return brokerErrorSentence(error.code, error.port, error.host, error.listener, (key) => flagOfBrokerSetting(key) ?? key);
  }
  if (error instanceof StoreError || error instanceof HomeError || error instanceof AclError) {
    return error.message;
  }
  return undefined;
}

/** A device's part of the data file: it reads a copy and changes it through the store's coalesced writes. */
function sliceOf<K extends keyof HomeData & string>(store: HomeStore, key: K): SliceStore<HomeData[K]> {
  return {
    read: () => structuredClone(store.data[key]),
    write: (mutate) => store.update((data) => mutate(data[key])),
  };
}

function storeSlices(store: HomeStore): HomeSlices {
  return {
    doorLocker: sliceOf(store, 'doorLocker'),
    thermostat: sliceOf(store, 'thermostat'),
    smartObjects: sliceOf(store, 'smartObjects'),
  };
}

/** A process that runs a later part of a fleet has no home of its own to act on; it says where the home is. */
function fleetOnlyActions(config: Config): HomeActions {
  const part = config.fleetPart!;
  const refuse = async () => {
    throw new HomeError(`This process runs part ${part.index}/${part.of} of the fleet only; the home runs in the process with --fleet-part 1/${part.of}.`);
  };
  return { register: refuse, changeTemperature: refuse, remove: refuse, toggle: refuse, switchObject: refuse };
}

/** The recording file is made at start, so a path that cannot be written is said before anything runs. */
async function checkWritable(file: string): Promise<void> {
  try {
    await writeFile(file, '');
  } catch (error) {
    throw new HomeError(`Cannot write the recording to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
}

/** Starts store, broker and devices in order; a failure stops what already started. */
export async function startRuntime(config: Config, hooks: RuntimeHooks): Promise<Runtime> {
  const cleanups: Array<() => Promise<void>> = [];
  // Everything is stopped even when one part fails; the first failure is then reported.
  const unwind = async () => {
    let failure: unknown;
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => (failure ??= error));
    if (failure !== undefined) throw failure;
  };
  const warnings: string[] = [...(config.warnings ?? [])];
  // One log for the run: the broker's batches, the monitor's lines and the home's remarks.
  const log = new LogSink(config.brokerUrl ? 0 : REMARK_HOLD_MS);
  if (hooks.onTraffic) log.listen(hooks.onTraffic);
  const logLine = (line: TrafficNote) => log.note(line);
  // Between the steps of the start: a signal stops it there.
  const checkpoint = () => {
    if (hooks.signal?.aborted) throw new StartStopped();
  };
  try {
    // The store is opened even when a signal came first: a stopped start leaves a data file too.
    const store = await openStore({
      file: config.dataFile,
      reset: config.resetData,
      // A stop during the start still leaves a data file.
      createFile: true,
      onWriteError: (error) => logLine({ kind: 'client-error', clientId: '(store)', detail: error.message }),
    });
    cleanups.push(() => store.close());
    hooks.onStore?.(store);
    checkpoint();

    // Logins and topic rules of the embedded broker (--auth, --acl, --student).
    const { auth, login, warnings: authWarnings } = config.brokerUrl ? { warnings: [] } : await prepareBrokerAuth(config, store);
    warnings.push(...authWarnings);
    checkpoint();

    if (config.record) await checkWritable(config.record.file);
    let broker: BrokerHandle | undefined;
    const mirror = new RetainedMirror(store.data.broker.retained);
    const startBroker = async (port: number, wsPort: number | undefined) => {
      const started = await startBrokerThread({
        port,
        host: config.host,
        wsPort,
        retained: store.data.broker.retained,
        auth,
        limits: withRoomForFleet(config.limits, config.fleet, config.fleetVia),
        ...(config.record ? { record: config.record } : {}),
      });
      started.onRetained((changes) => store.update(() => mirror.apply(changes)));
      return started;
    };
    if (!config.brokerUrl) {
      broker = await startBroker(config.port, config.wsPort);
      cleanups.push(() => broker!.close());
      const exposed = exposureWarning(config.host, auth?.required ?? false);
      if (exposed) warnings.push(exposed);
    }
    const brokerUrl = broker?.url ?? config.brokerUrl!;
    checkpoint();

    const embedded = broker ? embeddedTopics(broker) : undefined;
    const topics = embedded ?? (await outsideTopics(brokerUrl, login, cleanups));

    const defaults = hooks.defaults;
    const view = new HomeViewState({
      url: brokerUrl,
      defaults,
      login,
      monitorAll: broker === undefined,
      brokerChecksPayloads: broker !== undefined,
      log: (entry) => log.note(entry),
      logSize: config.logSize,
      broker: { url: brokerUrl, dataFile: store.file },
      notifyEveryMs: pacedByLoad(VIEW_PACING),
    });
    cleanups.push(() => view.stop());
    log.listen((entries) => view.pushTraffic(entries));
    if (broker) {
      broker.onTraffic((entries) => log.append(entries));
      const statsTimer = setInterval(() => view.setBroker(broker!.stats()), 500);
      statsTimer.unref();
      cleanups.push(async () => clearInterval(statsTimer));
    } else {
      // With an outside broker the rate is what the home's monitor sees; clients come from $SYS if the broker says.
      const rateTimer = setInterval(() => view.setBroker({ messagesPerSecond: view.messagesSeenPerSecond() }), 500);
      rateTimer.unref();
      cleanups.push(async () => clearInterval(rateTimer));
    }
    cleanups.push(async () => log.flush());
    await view.start();
    checkpoint();
    hooks.onView?.(view, topics);

    // Every part of a fleet spread over machines shares one broker; the home itself runs in the first.
    const runsHome = (config.fleetPart?.index ?? 1) === 1;
    let actions: HomeActions | undefined;
    if (runsHome) {
      const clock = hooks.clock ?? realClock();
      const random = (offset: number) => (hooks.seed === undefined ? {} : { random: seededRandom(hooks.seed + offset) });
      // The home's devices, the car park and the challenge service are clients of their own: started together.
      const challengeId = uniqueClientId('challenge');
      const [home, carpark, challenge] = (await startTogether<{ stop(): Promise<void> }>([
        () => startHome({ url: brokerUrl, login, defaults, slices: storeSlices(store), clock, ...random(0) }),
        () =>
          startCarpark({
            url: brokerUrl,
            login,
            defaults,
            slice: sliceOf(store, 'carpark'),
            clock,
            ...random(1),
            ...(hooks.carsPerHour === undefined ? {} : { carsPerHour: hooks.carsPerHour }),
          }),
        // The challenge service's remarks (a wrong reply, a finished run) belong in the log beside the packets.
        () =>
          startChallengeService({
            url: brokerUrl,
            login,
            clock: realClock(),
            clientId: challengeId,
            onNote: ({ text, uuid, clientId }) => logLine({ kind: 'info', clientId: clientId ?? challengeId, topic: uuid, detail: text }),
          }),
      ])) as [Home, { stop(): Promise<void> }, { stop(): Promise<void> }];
      cleanups.push(() => home.stop(), () => carpark.stop(), () => challenge.stop());
      checkpoint();
      actions = home.actions;
    }

    if (config.fleet) {
      const fleet = await startFleet({
        url: brokerUrl,
        login,
        count: config.fleet,
        via: config.fleetVia,
        part: config.fleetPart,
        saved: store.data.smartObjects,
        defaults: defaults.smartObjects,
        onSave: (changes) => store.update((data) => Object.assign(data.smartObjects, changes)),
        signal: hooks.signal,
      });
      cleanups.push(() => fleet.stop());
      checkpoint();
    }

    if (runsHome && config.homeAssistant) {
      const ha = await startHomeAssistant({ url: brokerUrl, login, prefix: config.homeAssistant.prefix, defaults, fleet: config.fleet, fleetVia: config.fleetVia });
      cleanups.push(() => ha.stop());
    }
    checkpoint();

    let stopping: Promise<void> | undefined;
    return {
      brokerUrl,
      wsUrl: broker?.wsUrl,
      dataFile: store.file,
      movedAside: store.movedAside,
      warnings,
      view,
      actions: actions ?? fleetOnlyActions(config),
      store,
      get broker() {
        return broker;
      },
      ...(broker
        ? {
            restartBroker: async () => {
              const { port, wsPort } = broker!;
              await broker!.close();
              // The retained changes of the last moments reached the store before the thread closed.
              broker = await startBroker(port, wsPort);
              broker.onTraffic((entries) => log.append(entries));
              embedded?.follow(broker);
            },
          }
        : {}),
      topics,
      login,
      note: logLine,
      showScenario: (text) => view.setBroker({ scenario: text }),
      stop: () => (stopping ??= unwind()),
    };
  } catch (error) {
    await unwind();
    // Whatever failed while a signal stopped the start is part of that stop.
    if (hooks.signal?.aborted) throw new StartStopped();
    throw error;
  }
}
