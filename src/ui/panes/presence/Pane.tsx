import { Text } from 'ink';
import { memo, useMemo } from 'react';
import type { HomeView } from '../../../sim/view-types.js';
import { useOwnFeed, useSlice } from '../../feed.js';
import { initialSelection, selectedRow, selectionReducer } from '../../list-selection.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerHeight, innerWidth, type PaneProps } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import { presenceRows } from './presence-state.js';
import { usePresenceKeys } from './use-presence-keys.js';

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const usersOf = (view: HomeView) => view.users;
const queueOf = (view: HomeView) => view.thermostat.queue;
const loadingOf = (view: HomeView) => view.loading;

/** Who is home and in which order they arrived; Space lets the selected person pass the door. */
export const PresencePane = memo(function PresencePane({ home, width, height, focused, act }: PaneProps) {
  const [state, feed] = useOwnFeed(selectionReducer, initialSelection);
  const users = useSlice(home, usersOf);
  const queue = useSlice(home, queueOf);
  const loading = useSlice(home, loadingOf);
  const rows = useMemo(() => presenceRows(users, queue), [users, queue]);
  const selected = selectedRow(state.selected, rows.length);
  usePresenceKeys({ focused, feed, home, act });

  const listRows = Math.max(1, innerHeight(height));
  const start = Math.max(0, selected - listRows + 1);
  const nameWidth = Math.max(4, innerWidth(width) - 22);
  const atHome = rows.filter((row) => row.isHome).length;
  return (
    <PaneFrame number={3} title="Presence" note={`${atHome} home`} width={width} height={height} focused={focused}>
      {rows.length === 0 ? <Text dimColor>{loading ? 'loading…' : 'nobody registered yet'}</Text> : null}
      {rows.slice(start, start + listRows).map((row, index) => {
        const isSelected = start + index === selected;
        return (
          <Text key={row.name} wrap="truncate-end" inverse={isSelected && focused}>
            {isSelected ? '›' : ' '} {fit(printable(row.name), nameWidth)}{' '}
            {row.isHome ? <Text color="green">⌂ home</Text> : <Text dimColor>· away</Text>}
            {row.arrival !== null ? <Text dimColor>  arrived {ordinal(row.arrival)}</Text> : null}
          </Text>
        );
      })}
    </PaneFrame>
  );
});
