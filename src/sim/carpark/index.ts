/**
 * The car park: per lot of data/home.json, a controller that counts and runs the sign, and an
 * entry and an exit sensor that let simulated cars through. Started after the broker, like the
 * home's devices; the controller first so it hears the sensors' first cars.
 */
import { realClock, type Clock, type Random } from '../clock.js';
import type { Login } from '../connection.js';
import type { HomeDefaults } from '../defaults.js';
import type { SliceStore } from '../slice-store.js';
import { CarparkController, type CarparkSlice } from './controller.js';
import { CarparkGate } from './gate.js';
import { startInOrder, type Part } from '../start-in-order.js';

export type { CarparkSlice, Lot } from './controller.js';

/** Average cars per hour past each sensor when not told otherwise: a lot that moves, slowly. */
export const DEFAULT_CARS_PER_HOUR = 20;

export interface CarparkOptions {
  url: string;
  login?: Login;
  clock?: Clock;
  random?: Random;
  slice: SliceStore<CarparkSlice>;
  /** data/home.json, as the program read it. */
  defaults: HomeDefaults;
  /** Simulated cars per hour past each entry and exit sensor; 0 = only cars people send. */
  carsPerHour?: number;
}

export interface Carpark {
  /** Free spaces of a lot as the controller counts them. */
  spaces(lot: string): number | undefined;
  stop(): Promise<void>;
}


export async function startCarpark(options: CarparkOptions): Promise<Carpark> {
  const lots = options.defaults.carPark.lots;
  const common = { url: options.url, login: options.login, clock: options.clock ?? realClock(), random: options.random };
  const carsPerHour = options.carsPerHour ?? DEFAULT_CARS_PER_HOUR;

  const controller = new CarparkController({ ...common, lots, slice: options.slice });
  const gates = lots.flatMap((lot) =>
    (['entry', 'exit'] as const).map((passage) => new CarparkGate({ ...common, lot: lot.id, capacity: lot.capacity, passage, carsPerHour })),
  );
  const parts: Part[] = [controller, ...gates];

  const stopAll = await startInOrder(parts);
  return { spaces: (lot) => controller.spaces(lot), stop: stopAll };
}
