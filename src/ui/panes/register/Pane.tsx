import { Box, Text } from 'ink';
import { memo } from 'react';
import type { HomeView } from '../../../sim/view-types.js';
import { useOwnFeed, useSlice } from '../../feed.js';
import { selectedRow } from '../../list-selection.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { TextField } from '../../components/TextField.js';
import { celsius } from '../../clock.js';
import { innerHeight, innerWidth, type PaneProps } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import { formProblem, initialRegisterState, isEditing, registerReducer } from './register-state.js';
import { useRegisterKeys } from './use-register-keys.js';

const usersOf = (view: HomeView) => view.users;
const loadingOf = (view: HomeView) => view.loading;

/** A form to register a person with a preferred temperature, and the people registered. */
export const RegisterPane = memo(function RegisterPane({ home, width, height, focused, act }: PaneProps) {
  const [state, feed] = useOwnFeed(registerReducer, initialRegisterState);
  const users = useSlice(home, usersOf);
  const loading = useSlice(home, loadingOf);
  const editing = isEditing(state);
  useRegisterKeys({ focused, feed, home, act });

  const contentWidth = innerWidth(width);
  const temperatureWidth = 7;
  const nameWidth = Math.max(6, contentWidth - 'Name '.length - '  °C '.length - temperatureWidth);
  const problem = formProblem(state, users);
  const listRows = Math.max(1, innerHeight(height) - 2);
  const selected = users.length === 0 ? -1 : selectedRow(state.selected, users.length);
  // Keep the selected person in view: the window ends at them once they are below it.
  const start = Math.max(0, selected - listRows + 1);
  const visible = users.slice(start, start + listRows);

  let message;
  if (state.mode === 'confirm-delete') {
    message = <Text color="yellow">Delete {printable(state.target ?? '')}? y/n</Text>;
  } else if (state.mode === 'edit') {
    message = (
      <Text>
        {fit(printable(state.target ?? ''), Math.min(12, contentWidth - 16))} °C{' '}
        <TextField value={state.edit} width={temperatureWidth} active invalid={problem !== null} />{' '}
        {problem ? <Text color="red">{problem}</Text> : <Text dimColor>Enter saves</Text>}
      </Text>
    );
  } else if (problem) {
    message = <Text color="red">{problem}</Text>;
  } else if (editing) {
    message = <Text dimColor>{state.mode === 'name' ? 'Enter: next' : 'Enter: register'} · Tab: other field · Esc: leave</Text>;
  } else {
    const none = loading ? 'loading… · n: new' : 'n: register the first person';
    message = <Text dimColor>{users.length === 0 ? none : `${users.length} registered · n: new`}</Text>;
  }

  return (
    <PaneFrame number={2} title="Register" width={width} height={height} focused={focused}>
      <Text wrap="truncate-end">
        Name <TextField value={state.name} width={nameWidth} active={state.mode === 'name'} />
        {'  °C '}
        <TextField value={state.temperature} width={temperatureWidth} active={state.mode === 'temperature'} />
      </Text>
      <Text wrap="truncate-end">{message}</Text>
      <Box flexDirection="column">
        {visible.map((user, index) => {
          const isSelected = start + index === selected;
          return (
            <Text key={user.name} wrap="truncate-end" inverse={isSelected && focused && !editing}>
              {isSelected ? '›' : ' '} {fit(printable(user.name), Math.max(4, contentWidth - 12))} {celsius(user.temperature)}
            </Text>
          );
        })}
      </Box>
    </PaneFrame>
  );
});
