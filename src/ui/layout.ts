/**
 * Pane sizes computed from the terminal size, so the whole frame is never taller than the
 * screen (Ink clears and redraws the terminal on every frame once it is).
 */
export type PaneId = 'log' | 'register' | 'presence' | 'thermostat' | 'smart-object';

export interface Box {
  width: number;
  height: number;
}

export interface Layout {
  /** False when the terminal is below the minimum; `needed` then says what it takes. */
  fits: boolean;
  needed: { columns: number; rows: number };
  columns: number;
  /** Height of the frame: one less than the terminal. */
  rows: number;
  panes: Record<PaneId, Box>;
  /** Whether the thermostat has room for the setpoint in block digits. */
  bigSetpoint: boolean;
  /** The space between the tab row and the footer, where a screen draws. */
  screen: Box;
}

const STATUS_ROWS = 1;
/** The row of screen tabs (Home, Playground, ...). */
const TAB_ROWS = 1;
const FOOTER_ROWS = 2;
const BORDER = 2;
/** Register: the form line, a message line and at least three users. */
const MIN_USER_ROWS = 5 + BORDER;
/** Thermostat and smart object: five lines each (setpoint, queue, room, two sparklines). */
const MIN_DEVICE_ROWS = 5 + BORDER;
/** Block digits take three lines where the plain setpoint takes one. */
const BIG_DEVICE_ROWS = 7 + BORDER;
const MAX_USER_ROWS = 9 + BORDER;
const MIN_LOG_ROWS = 3 + BORDER;

/**
 * Ink clears the whole terminal on every frame once the output is as tall as the screen, so the
 * frame always leaves the last row free.
 */
const FREE_ROWS = 1;

export const MIN_ROWS = STATUS_ROWS + TAB_ROWS + FOOTER_ROWS + MIN_USER_ROWS + MIN_DEVICE_ROWS + MIN_LOG_ROWS + FREE_ROWS;
/** Two panes side by side each need about 34 columns for a form line or a sparkline. */
export const MIN_COLUMNS = 70;

export function layoutFor(columns: number, rows: number): Layout {
  const fits = columns >= MIN_COLUMNS && rows >= MIN_ROWS;
  // Below the minimum the panes stay mounted (hidden) with their state, laid out at the minimum.
  const width = Math.max(columns, MIN_COLUMNS);
  const height = Math.max(rows, MIN_ROWS);
  const available = height - FREE_ROWS - STATUS_ROWS - TAB_ROWS - FOOTER_ROWS;
  const bigSetpoint = available - BIG_DEVICE_ROWS - MIN_USER_ROWS - MIN_LOG_ROWS >= 8;
  const deviceRows = bigSetpoint ? BIG_DEVICE_ROWS : MIN_DEVICE_ROWS;
  const userRows = Math.min(MAX_USER_ROWS, Math.max(MIN_USER_ROWS, Math.floor((available - deviceRows) * 0.4)));
  const logRows = available - deviceRows - userRows;
  const left = Math.floor(width / 2);
  const right = width - left;
  return {
    fits,
    needed: { columns: MIN_COLUMNS, rows: MIN_ROWS },
    columns: width,
    rows: height - FREE_ROWS,
    bigSetpoint,
    screen: { width, height: available },
    panes: {
      register: { width: left, height: userRows },
      presence: { width: right, height: userRows },
      thermostat: { width: left, height: deviceRows },
      'smart-object': { width: right, height: deviceRows },
      log: { width, height: logRows },
    },
  };
}
