/** Which row of a list is selected: one rule for every list (people, objects, lots). */

/** The selected row for a list of `count`: the remembered one, kept inside the list as it shrinks. */
export function selectedRow(selected: number, count: number): number {
  return count === 0 ? 0 : Math.min(Math.max(0, selected), count - 1);
}

/**
 * Moves the selection `by` rows in a list of `count`. It stops at the ends, or wraps around
 * (with two or three objects, Right always moves on).
 */
export function moveSelection(selected: number, by: number, count: number, wrap = false): number {
  if (count === 0) return 0;
  const current = selectedRow(selected, count);
  if (wrap) return (((current + by) % count) + count) % count;
  return selectedRow(current + by, count);
}

export interface Selection {
  selected: number;
}

export type SelectionAction = { type: 'select'; by: number; count: number; wrap?: boolean };

export const initialSelection: Selection = { selected: 0 };

export function selectionReducer(state: Selection, action: SelectionAction): Selection {
  const selected = moveSelection(state.selected, action.by, action.count, action.wrap);
  return selected === state.selected ? state : { selected };
}
