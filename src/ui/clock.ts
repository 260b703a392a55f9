import { createContext, useContext, useEffect, useState } from 'react';

/** Where panes read the time; tests provide a fixed clock so ages and countdowns are stable. */
export const ClockContext = createContext<() => number>(() => Date.now());

/** The current time, re-read every `intervalMs` while `active` (for countdowns and ages). */
export function useNow(intervalMs: number, active: boolean): number {
  const now = useContext(ClockContext);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now();
}

export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** "12 s", "3 min", "2 h": how long ago or how long until, rounded for a glance. */
export function span(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h`;
}

export function celsius(value: number): string {
  return `${value.toFixed(1)} °C`;
}
