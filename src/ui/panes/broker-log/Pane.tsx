import { Text } from 'ink';
import { memo, useMemo } from 'react';
import type { HomeView } from '../../../sim/view-types.js';
import { useOwnFeed, useSlice } from '../../feed.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { TextField } from '../../components/TextField.js';
import { innerHeight, innerWidth, type PaneProps } from '../../pane-props.js';
import { printable } from '../../printable.js';
import { kindColor, logLine } from './log-line.js';
import { filterEntries, initialLogState, isTypingFilter, isWildcardFilter, logReducer, visibleEntries } from './log-state.js';
import { OpenedMessage } from './OpenedMessage.js';
import { useLogKeys } from './use-log-keys.js';

const logOf = (view: HomeView) => view.log;

/** The broker's traffic, newest at the bottom; only the lines that fit are rendered. */
export const BrokerLogPane = memo(function BrokerLogPane({ home, width, height, focused, topics }: PaneProps) {
  const [state, feed] = useOwnFeed(logReducer, initialLogState);
  const typing = isTypingFilter(state);

  // The filter line takes one row while typing or while a filter is applied.
  const showFilter = typing || state.filter !== '';
  const page = Math.max(1, innerHeight(height) - (showFilter ? 1 : 0));
  const live = useSlice(home, logOf);
  const shown = useMemo(() => filterEntries(state.frozen ?? live, state.filter), [state.frozen, live, state.filter]);
  const { lines, newSincePause } = visibleEntries(state, shown, live, page);
  useLogKeys({ focused, feed, home, page });

  const note = state.frozen
    ? `paused, ${newSincePause} new`
    : state.anchorSeq !== null
      ? `${live.length} entries · scrolled, End follows`
      : `${live.length} entries`;
  const contentWidth = innerWidth(width);
  if (state.opened) {
    return (
      <PaneFrame number={1} title="Broker log" note="message whole · Esc closes" width={width} height={height} focused={focused}>
        <OpenedMessage entry={state.opened} topics={topics} width={contentWidth} rows={innerHeight(height)} />
      </PaneFrame>
    );
  }
  const marked = focused && state.anchorSeq !== null ? lines.at(-1)?.seq : undefined;
  return (
    <PaneFrame number={1} title="Broker log" note={note} width={width} height={height} focused={focused}>
      {showFilter ? (
        <Text wrap="truncate-end">
          filter{' '}
          {typing ? (
            <TextField value={state.draft ?? ''} width={Math.min(32, contentWidth - 8)} active />
          ) : (
            <Text color="cyan">{printable(state.filter)}</Text>
          )}
          {typing ? (
            <Text dimColor> Enter applies · Esc cancels · + and # match topics</Text>
          ) : (
            <Text dimColor> ({shown.length} match{isWildcardFilter(state.filter) ? ', as a topic filter' : ''})</Text>
          )}
        </Text>
      ) : null}
      {lines.length === 0 ? <Text dimColor>{state.filter ? 'nothing matches the filter' : 'no traffic yet'}</Text> : null}
      {lines.map((entry) => {
        const line = logLine(entry);
        const color = kindColor(entry.kind);
        return (
          <Text key={entry.seq} wrap="truncate-end" color={color} inverse={entry.seq === marked}>
            <Text dimColor={!color}>{line.time}</Text> {color ? line.kind : <Text color="blue">{line.kind}</Text>}{' '}
            {line.client} {line.rest}
          </Text>
        );
      })}
    </PaneFrame>
  );
});
