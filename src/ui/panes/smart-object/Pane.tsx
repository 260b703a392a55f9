import { Text } from 'ink';
import { useReducer } from 'react';
import { celsius, useNow } from '../../clock.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerWidth, type PaneProps } from '../../pane-props.js';
import { printable } from '../../printable.js';
import {
  controllerLine,
  eventLine,
  initialSmartObjectState,
  smartObjectReducer,
  temperatureRuns,
} from './smart-object-state.js';
import { useSmartObjectKeys } from './use-smart-object-keys.js';

const SWITCH_COLOR = { ON: 'green', OFF: 'gray', unknown: 'yellow' } as const;

/** The smart object's switch, temperature against the alert line, last event and the controller's timer. */
export function SmartObjectPane({ view, width, height, focused, act }: PaneProps) {
  const [state, dispatch] = useReducer(smartObjectReducer, initialSmartObjectState);
  const objects = view.smartObjects;
  const index = Math.min(state.selected, objects.length - 1);
  const object = objects[index];
  // Ages and countdowns move every second even when no message arrives.
  const now = useNow(1000, Boolean(object?.controllerPending || object?.lastEvent));
  useSmartObjectKeys({ focused, object, count: objects.length, dispatch, act });

  if (!object) {
    return (
      <PaneFrame number={5} title="Smart object" width={width} height={height} focused={focused}>
        <Text dimColor>{view.loading ? 'loading…' : 'no smart object seen yet'}</Text>
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
}
