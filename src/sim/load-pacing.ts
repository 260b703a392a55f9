import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface LoadPacingOptions {
  /** The interval while this thread has time to spare. */
  minMs: number;
  /** The longest interval, however busy the thread is. */
  maxMs: number;
  /** The share of this thread's time the paced work may keep it busy, 0-1. */
  busyShare: number;
}

/**
 * Least time between two screen updates, longer while this thread is busy and shorter again
 * when it is not. Each call reads how much of the time since the last call the thread spent
 * working (its event-loop utilisation, which on a loaded machine also counts the time it waited
 * for a core) and scales the interval by that over `busyShare`. A flood then costs a few frames
 * a second instead of ten, and a machine with other work gets fewer still.
 */
export function pacedByLoad(options: LoadPacingOptions, utilization: () => EventLoopUtilization = () => performance.eventLoopUtilization()): () => number {
  let last = utilization();
  let interval = options.minMs;
  return () => {
    const now = utilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (Number.isFinite(busy)) interval = Math.min(options.maxMs, Math.max(options.minMs, interval * (busy / options.busyShare)));
    return interval;
  };
}
