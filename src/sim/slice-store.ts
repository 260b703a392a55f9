/** The part of the data file one device owns; the device reads it at start and writes on change. */
export interface SliceStore<T> {
  read(): T;
  write(mutate: (slice: T) => void): void;
}

export interface DoorLockerSlice {
  users: Record<string, { temperature: string; isHome: boolean }>;
}

export interface ThermostatSlice {
  queue: string[];
  users: Record<string, string>;
  roomTemperature: number | null;
}

export type SmartObjectsSlice = Record<string, { switch: 'ON' | 'OFF'; temperature: number }>;

export interface HomeSlices {
  doorLocker: SliceStore<DoorLockerSlice>;
  thermostat: SliceStore<ThermostatSlice>;
  smartObjects: SliceStore<SmartObjectsSlice>;
}

/** A slice kept in memory only: for tests and for running without a data file. */
export function memorySlice<T>(initial: T): SliceStore<T> {
  let value = structuredClone(initial);
  return {
    read: () => structuredClone(value),
    write(mutate) {
      const next = structuredClone(value);
      mutate(next);
      value = next;
    },
  };
}

export function memorySlices(): HomeSlices {
  return {
    doorLocker: memorySlice<DoorLockerSlice>({ users: {} }),
    thermostat: memorySlice<ThermostatSlice>({ queue: [], users: {}, roomTemperature: null }),
    smartObjects: memorySlice<SmartObjectsSlice>({}),
  };
}
