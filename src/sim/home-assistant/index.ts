/**
 * The Home Assistant part of the home (on unless `--no-ha`): the bridge that announces the home
 * under HA's discovery prefix and carries HA's commands into the home. Started after the devices,
 * like the apps, so the people and the thermostat's state are there when it first speaks.
 */
import { readFileSync } from 'node:fs';
import type { Login } from '../connection.js';
import type { HomeDefaults } from '../defaults.js';
import type { FleetVia } from '../fleet-plan.js';
import { HomeAssistantBridge } from './bridge.js';

export { HOME_NODE_ID, fleetNodeId } from './discovery.js';

export interface HomeAssistantOptions {
  url: string;
  login?: Login;
  /** HA's discovery prefix. */
  prefix: string;
  defaults: HomeDefaults;
  /** How many fleet objects run (`--fleet N`). */
  fleet?: number;
  /** With `gateway`, a fleet object is available only while its gateway is too. */
  fleetVia?: FleetVia;
}

export interface HomeAssistantLink {
  clientId: string;
  stop(): Promise<void>;
}

function programVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function startHomeAssistant(options: HomeAssistantOptions): Promise<HomeAssistantLink> {
  const bridge = new HomeAssistantBridge({
    url: options.url,
    login: options.login,
    prefix: options.prefix,
    smartObjects: options.defaults.smartObjects.roster,
    fleet: options.fleet ?? 0,
    fleetViaGateway: options.fleetVia === 'gateway',
    lots: options.defaults.carPark.lots.map((lot) => lot.id),
    overHeatingAbove: options.defaults.smartObjects.overHeatingAbove,
    version: programVersion(),
  });
  await bridge.start();
  return { clientId: bridge.clientId, stop: () => bridge.stop() };
}
