import type { BrokerLimits } from './broker/limits.js';
import type { FleetPart, FleetVia } from './sim/fleet-plan.js';

/** Everything the runtime needs to know, after flags, environment and defaults are merged. */
export interface Config {
  /** TCP port of the embedded broker (0 = any free port). */
  port: number;
  /** Address the embedded broker listens on. */
  host: string;
  /** MQTT over WebSocket port for browser clients; undefined = off. */
  wsPort?: number;
  /** The JSON data file. */
  dataFile: string;
  /** Use this outside broker instead of starting the embedded one. */
  brokerUrl?: string;
  headless: boolean;
  /** Headless log as NDJSON. */
  json: boolean;
  /** Move an unreadable data file aside and start fresh. */
  resetData: boolean;
  /** Entries kept in the traffic log. */
  logSize: number;
  /** The embedded broker refuses clients without a valid login. */
  auth: boolean;
  /** Mosquitto-style ACL file; undefined = the default /iot/user/<name>/# policy (when auth is on). */
  aclFile?: string;
  /** Also accept the classroom login student / student for this run (implies auth). */
  student: boolean;
  /** Limits of the embedded broker (--max-connections, --drain-timeout...); missing ones take their defaults. */
  limits?: Partial<BrokerLimits>;
  /** Extra simulated smart objects, each its own MQTT client, in a thread of their own; undefined = none. */
  fleet?: number;
  /** How the fleet's objects reach the broker; undefined = each its own connection. */
  fleetVia?: FleetVia;
  /** Run only this part of the fleet (`--fleet-part i/k`); undefined = all of it. */
  fleetPart?: FleetPart;
  /** Sentences about flags that were given but do nothing in this run (shown as warnings). */
  warnings?: string[];
  /** Announce the home to Home Assistant under this discovery prefix; undefined = not at all (`--no-ha`). */
  homeAssistant?: { prefix: string };
  /** `--record FILE`: every message the embedded broker routes, bounded by maxBytes; undefined = none. */
  record?: { file: string; maxBytes: number };
  /** `--scenario FILE`: a scenario run inside the UI; undefined = none. */
  scenario?: string;
}

export const DEFAULT_PORT = 1883;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_LOG_SIZE = 10_000;
