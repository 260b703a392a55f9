import { Text } from 'ink';
import { memo } from 'react';
import type { HomeView } from '../../../sim/view-types.js';
import { useOwnFeed, useSlice } from '../../feed.js';
import { initialSelection, selectedRow, selectionReducer } from '../../list-selection.js';
import { celsius, useNow } from '../../clock.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerWidth, type PaneProps } from '../../pane-props.js';
import { printable } from '../../printable.js';
import {
  ALERT_CELSIUS,
  controllerLine,
  eventLine,
  temperatureRuns,
} from './smart-object-state.js';
import { useSmartObjectKeys } from './use-smart-object-keys.js';

const SWITCH_COLOR = { ON: 'green', OFF: 'gray', unknown: 'yellow' } as const;

const objectsOf = (view: HomeView) => view.smartObjects;

/** The smart object's switch, temperature against the alert line, last event and the controller's timer. */
export const SmartObjectPane = memo(function SmartObjectPane({ home, width, height, focused, act }: PaneProps) {
  const [state, feed] = useOwnFeed(selectionReducer, initialSelection);
  const objects = useSlice(home, objectsOf);
  const index = selectedRow(state.selected, objects.length);
  const object = objects[index];
  // Ages and countdowns move every second even when no message arrives.
  const now = useNow(1000, Boolean(object?.controllerPending || object?.lastEvent));
  useSmartObjectKeys({ focused, feed, home, act });

  if (!object) {
    return (
      <PaneFrame number={5} title="Smart object" width={width} height={height} focused={focused}>
        <Text dimColor>no smart object seen yet</Text>
      </PaneFrame>
    );
  }
  const contentWidth = innerWidth(width);
  const { runs, alertBlock } = temperatureRuns(object.history, Math.max(1, contentWidth - 22));
  const chooser = objects.length > 1 ? ` ◀ ${index + 1}/${objects.length} ▶` : '';
  return (
    <PaneFrame
      number={5}
      title="Smart object"
      note={object.alert ? 'ALERT' : undefined}
      width={width}
      height={height}
      focused={focused}
    >
      <Text wrap="truncate-end">
        <Text bold>{printable(object.id)}</Text>
        <Text dimColor>{chooser}</Text> switch{' '}
        <Text bold color={SWITCH_COLOR[object.switch]}>
          {object.switch}
        </Text>
      </Text>
      <Text wrap="truncate-end">
        {object.temperature === undefined ? (
          <Text dimColor>no temperature yet</Text>
        ) : (
          <Text color={object.alert ? 'red' : undefined}>temperature {celsius(object.temperature)}</Text>
        )}
        {object.alert ? <Text color="red"> ⚠ over {ALERT_CELSIUS} °C</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {runs.map((run, i) => (
          <Text key={i} color={run.over ? 'red' : 'yellow'}>
            {run.text}
          </Text>
        ))}
        <Text dimColor>
          {runs.length > 0 ? ' ' : ''}alert {ALERT_CELSIUS} °C = {alertBlock}
        </Text>
      </Text>
      <Text wrap="truncate-end">{eventLine(object, now)}</Text>
      <Text wrap="truncate-end" color={object.controllerPending ? 'yellow' : undefined} dimColor={!object.controllerPending}>
        {controllerLine(object, now)}
      </Text>
    </PaneFrame>
  );
});
