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
  controllerLine,
  eventLine,
  temperatureRuns,
} from './smart-object-state.js';
import { useSmartObjectKeys } from './use-smart-object-keys.js';

const SWITCH_COLOR = { ON: 'green', OFF: 'gray', unknown: 'yellow' } as const;

const objectsOf = (view: HomeView) => view.smartObjects;
const loadingOf = (view: HomeView) => view.loading;

/** The smart object's switch, temperature against the alert line, last event and the controller's timer. */
export const SmartObjectPane = memo(function SmartObjectPane({ home, width, height, focused, act }: PaneProps) {
  const [state, feed] = useOwnFeed(selectionReducer, initialSelection);
  const objects = useSlice(home, objectsOf);
  const loading = useSlice(home, loadingOf);
  const index = selectedRow(state.selected, objects.length);
  const object = objects[index];
  // Ages and countdowns move every second even when no message arrives.
  const now = useNow(1000, Boolean(object?.controllerPending || object?.lastEvent));
  useSmartObjectKeys({ focused, feed, home, act });

  if (!object) {
    return (
      <PaneFrame number={5} title="Smart object" width={width} height={height} focused={focused}>
        <Text dimColor>{loading ? 'loading…' : 'no smart object seen yet'}</Text>
      </PaneFrame>
    );
  }
  const contentWidth = innerWidth(width);
  const { runs, alertBlock } = temperatureRuns(object.history, Math.max(1, contentWidth - 22), object.alertAbove);
  const chooser = objects.length > 1 ? ` ◀ ${index + 1}/${objects.length} ▶` : '';
  // Switched OFF, the object cools and reports nothing (as the course's object does): its last
  // reading is where the cooling started, not a heat that stays.
  const off = object.switch === 'OFF';
  const alert = object.alert && !off;
  return (
    <PaneFrame
      number={5}
      title="Smart object"
      note={alert ? 'ALERT' : off ? 'cooling' : undefined}
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
        ) : off ? (
          <Text color="cyan">cooling ↓ from {celsius(object.temperature)}, no readings while OFF</Text>
        ) : (
          <Text color={alert ? 'red' : undefined}>temperature {celsius(object.temperature)}</Text>
        )}
        {alert ? <Text color="red"> ⚠ over {object.alertAbove} °C</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        {runs.map((run, i) => (
          <Text key={i} color={run.over ? 'red' : 'yellow'}>
            {run.text}
          </Text>
        ))}
        <Text dimColor>
          {runs.length > 0 ? ' ' : ''}alert {object.alertAbove} °C = {alertBlock}
        </Text>
      </Text>
      <Text wrap="truncate-end">{eventLine(object, now)}</Text>
      <Text wrap="truncate-end" color={object.controllerPending ? 'yellow' : undefined} dimColor={!object.controllerPending}>
        {controllerLine(object, now)}
      </Text>
    </PaneFrame>
  );
});
