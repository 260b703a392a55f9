import { Text } from 'ink';
import { memo } from 'react';
import type { HomeView } from '../../../sim/view-types.js';
import { useSlice } from '../../feed.js';
import { bigDigits } from '../../big-digits.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerWidth, type PaneProps } from '../../pane-props.js';
import { summarizeThermostat } from './thermostat-summary.js';

export interface ThermostatPaneProps extends PaneProps {
  /** Room for the setpoint in three-row block digits. */
  big: boolean;
}

const thermostatOf = (view: HomeView) => view.thermostat;

/** The setpoint and whom it is for, the arrival queue, the room and the heating. No keys: it only shows. */
export const ThermostatPane = memo(function ThermostatPane({ home, width, height, focused, big }: ThermostatPaneProps) {
  const thermostat = useSlice(home, thermostatOf);
  const contentWidth = innerWidth(width);
  const label = 5;
  const summary = summarizeThermostat(thermostat, Math.max(1, contentWidth - label - 13));
  const digits = bigDigits(summary.setpoint);
  const useBig = big && digits[0].length + 14 <= contentWidth;
  return (
    <PaneFrame
      number={4}
      title="Thermostat"
      note={summary.seen ? undefined : 'waiting for state'}
      width={width}
      height={height}
      focused={focused}
    >
      {useBig ? (
        <>
          <Text wrap="truncate-end" bold color="cyan">
            {digits[0]} °C
          </Text>
          <Text wrap="truncate-end">
            <Text bold color="cyan">
              {digits[1]}
            </Text>
            {'    '}
            {summary.forWhom}
          </Text>
          <Text wrap="truncate-end" bold color="cyan">
            {digits[2]}
          </Text>
        </>
      ) : (
        <Text wrap="truncate-end">
          <Text bold color="cyan">
            setpoint {summary.setpoint} °C
          </Text>{' '}
          {summary.forWhom}
        </Text>
      )}
      <Text wrap="truncate-end">{summary.queue}</Text>
      <Text wrap="truncate-end">
        {summary.room} · heating {summary.heating ? <Text color="red">on</Text> : <Text dimColor>off</Text>}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>room </Text>
        <Text color="yellow">{summary.roomLine}</Text> <Text dimColor>{summary.range}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>set  </Text>
        <Text color="cyan">{summary.setpointLine}</Text>
      </Text>
    </PaneFrame>
  );
});
