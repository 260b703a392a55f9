/** What the car-park screen knows, built only from what crosses the broker: signs, passages, refusals. */
import type { CarparkDisplay, CarparkRefusal } from '../../../wire/index.js';
import { clockTime } from '../../clock.js';
import { printable } from '../../printable.js';

export interface LotView {
  id: string;
  capacity: number;
  /** The sign as last published; undefined until the controller speaks. */
  display?: CarparkDisplay;
}

export interface LogLine {
  /** Epoch ms, when the screen heard it. */
  time: number;
  text: string;
  tone: 'info' | 'refused' | 'error';
}

export interface CarparkState {
  lots: LotView[];
  log: LogLine[];
}

export type CarparkAction =
  | { type: 'display'; lot: string; display: CarparkDisplay }
  | { type: 'passage'; lot: string; passage: 'entry' | 'exit'; temperatureC: number; time: number }
  | { type: 'refused'; lot: string; refusal: CarparkRefusal; time: number }
  | { type: 'bad-payload'; topic: string; reason: string; time: number }
  | { type: 'send-failed'; what: string; reason: string; time: number };

/** Enough lines for the tallest terminal; older ones are dropped. */
export const LOG_LINES = 200;

export function initialCarparkState(lots: ReadonlyArray<{ id: string; capacity: number }>): CarparkState {
  return { lots: lots.map((lot) => ({ id: lot.id, capacity: lot.capacity })), log: [] };
}

function logged(state: CarparkState, line: LogLine): CarparkState {
  return { ...state, log: [...state.log.slice(-(LOG_LINES - 1)), line] };
}

export function carparkReducer(state: CarparkState, action: CarparkAction): CarparkState {
  switch (action.type) {
    case 'display': {
      const known = state.lots.some((lot) => lot.id === action.lot);
      // A lot not in data/ (someone else's sign) is shown too, with its capacity unknown until full.
      const lots = known
        ? state.lots.map((lot) => (lot.id === action.lot ? { ...lot, display: action.display } : lot))
        : [...state.lots, { id: action.lot, capacity: action.display.spaces, display: action.display }];
      return { ...state, lots };
    }
    case 'passage':
      return logged(state, {
        time: action.time,
        text: `${printable(action.lot)}: a car ${action.passage === 'entry' ? 'came in' : 'went out'} (${action.temperatureC.toFixed(1)} °C)`,
        tone: 'info',
      });
    case 'refused': {
      const why = action.refusal.reason === 'full' ? 'the lot is FULL' : 'the lot is already empty';
      return logged(state, {
        time: action.time,
        text: `${printable(action.lot)}: ${action.refusal.passage} refused, ${why}`,
        tone: 'refused',
      });
    }
    case 'bad-payload':
      return logged(state, { time: action.time, text: `bad payload on ${printable(action.topic)}: ${action.reason}`, tone: 'error' });
    case 'send-failed':
      return logged(state, { time: action.time, text: `could not ${action.what}: ${printable(action.reason)}`, tone: 'error' });
  }
}

export function logText(line: LogLine): string {
  return `${clockTime(line.time)} ${line.text}`;
}

/** The sign's temperature line; "--.- °C" before any car has passed. */
export function signTemperature(display: CarparkDisplay | undefined): string {
  const value = display?.temperatureC;
  return value === null || value === undefined ? '--.- °C' : `${value.toFixed(1)} °C`;
}
