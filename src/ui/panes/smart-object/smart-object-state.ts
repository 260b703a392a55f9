import type { SmartObjectView } from '../../../sim/view-types.js';
import { celsius, span } from '../../clock.js';
import { printable } from '../../printable.js';
import { block, scaleOf, type Scale } from '../../sparkline.js';


/** What Space does: anything but ON turns it on. */
export function toggled(value: SmartObjectView['switch']): 'ON' | 'OFF' {
  return value === 'ON' ? 'OFF' : 'ON';
}

export interface SparkCell {
  text: string;
  over: boolean;
}

/** The history as blocks, grouped into runs above and below the alert line so they can be coloured. */
export function temperatureRuns(
  history: readonly number[],
  width: number,
  alertAbove: number,
): { runs: SparkCell[]; alertBlock: string; scale: Scale } {
  const values = history.slice(-width);
  // The alert line is always on the scale, so its height in the sparkline means the same every time.
  const scale = scaleOf([...values], [alertAbove]);
  const runs: SparkCell[] = [];
  for (const value of values) {
    const over = value > alertAbove;
    const last = runs.at(-1);
    if (last && last.over === over) last.text += block(value, scale);
    else runs.push({ text: block(value, scale), over });
  }
  return { runs, alertBlock: block(alertAbove, scale), scale };
}

export function eventLine(object: SmartObjectView, now: number): string {
  const event = object.lastEvent;
  if (!event) return 'no events yet';
  return `event ${printable(event.type)} ${celsius(event.value)} · ${span(now - event.time)} ago`;
}

export function controllerLine(object: SmartObjectView, now: number): string {
  const pending = object.controllerPending;
  if (!pending) return 'controller: idle';
  return `controller: ${pending.action} in ${span(pending.dueAt - now)}`;
}
