import { Text } from 'ink';
import { useReducer } from 'react';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerHeight, innerWidth, type PaneProps } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import { initialPresenceState, presenceReducer, presenceRows } from './presence-state.js';
import { usePresenceKeys } from './use-presence-keys.js';

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** Who is home and in which order they arrived; Space lets the selected person pass the door. */
export function PresencePane({ view, width, height, focused, act }: PaneProps) {
  const [state, dispatch] = useReducer(presenceReducer, initialPresenceState);
  const rows = presenceRows(view);
  const selected = Math.min(state.selected, rows.length - 1);
  usePresenceKeys({ focused, rows, selected, dispatch, act });

  const listRows = Math.max(1, innerHeight(height));
  const start = Math.max(0, selected - listRows + 1);
  const nameWidth = Math.max(4, innerWidth(width) - 22);
  const home = rows.filter((row) => row.isHome).length;
  return (
    <PaneFrame number={3} title="Presence" note={`${home} home`} width={width} height={height} focused={focused}>
      {rows.length === 0 ? <Text dimColor>{view.loading ? 'loading…' : 'nobody registered yet'}</Text> : null}
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
}
