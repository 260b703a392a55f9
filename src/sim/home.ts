/**
 * The home: which devices run, started in order (devices first so they hear everything, then
 * the apps people act through), stopped in reverse. Actions go through the apps' own clients.
 */
import { realClock, type Clock, type Random } from './clock.js';
import type { Login } from './connection.js';
import { Controller } from './controller.js';
import type { HomeDefaults } from './defaults.js';
import { DoorLocker } from './door-locker.js';
import { ObjectSwitch } from './object-switch.js';
import { RegistrationApp } from './registration.js';
import type { HomeSlices } from './slice-store.js';
import { SmartObject } from './smart-object.js';
import { Thermostat } from './thermostat.js';
import type { HomeActions } from './view-types.js';
import { startInOrder, type Part } from './start-in-order.js';

export interface HomeOptions {
  /** The broker every device connects to, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  /** Needed when the broker checks logins. */
  login?: Login;
  slices: HomeSlices;
  clock?: Clock;
  random?: Random;
  /** data/home.json, as the program read it. */
  defaults: HomeDefaults;
}

export interface Home {
  actions: HomeActions;
  /** Client ids of every device and app, e.g. to tell the home's own traffic from visitors'. */
  clientIds: string[];
  stop(): Promise<void>;
}


export async function startHome(options: HomeOptions): Promise<Home> {
  const defaults = options.defaults;
  const common = { url: options.url, login: options.login, clock: options.clock ?? realClock(), random: options.random };

  const thermostat = new Thermostat({ ...common, slice: options.slices.thermostat, defaults: defaults.thermostat });
  const doorLocker = new DoorLocker({ ...common, slice: options.slices.doorLocker });
  const smartObjects = defaults.smartObjects.roster.map(
    (deviceId) => new SmartObject({ ...common, deviceId, slice: options.slices.smartObjects, defaults: defaults.smartObjects }),
  );
  const controller = new Controller({ ...common, defaults: defaults.controller });
  const registration = new RegistrationApp(common);
  const objectSwitch = new ObjectSwitch(common);
  const parts: Part[] = [thermostat, doorLocker, ...smartObjects, controller, registration, objectSwitch];

  const stopAll = await startInOrder(parts);

  return {
    actions: {
      register: (name, temperature) => registration.register(name, temperature),
      changeTemperature: (name, temperature) => registration.changeTemperature(name, temperature),
      remove: (name) => registration.remove(name),
      toggle: (name) => doorLocker.toggle(name),
      switchObject: (id, value) => objectSwitch.switchObject(id, value),
    },
    clientIds: parts.map((part) => part.clientId),
    stop: stopAll,
  };
}
