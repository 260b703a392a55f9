import { Box, Text } from 'ink';
import { PaneFrame } from '../../components/PaneFrame.js';
import { TextField } from '../../components/TextField.js';
import { celsius } from '../../clock.js';
import { innerHeight, innerWidth, type PaneProps } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import { formProblem, initialRegisterState, isEditing, registerReducer } from './register-state.js';
import { useRegisterKeys } from './use-register-keys.js';
import { useEditingReducer } from '../../use-editing-reducer.js';

/** A form to register a person with a preferred temperature, and the people registered. */
export function RegisterPane({ view, width, height, focused, act, onEditingChange }: PaneProps) {
  const [state, dispatch] = useEditingReducer(registerReducer, initialRegisterState, isEditing, onEditingChange);
  const users = view.users;
  const editing = isEditing(state);
  useRegisterKeys({ focused, state, dispatch, users, act });

  const contentWidth = innerWidth(width);
  const temperatureWidth = 7;
  const nameWidth = Math.max(6, contentWidth - 'Name '.length - '  °C '.length - temperatureWidth);
  const problem = formProblem(state, users);
  const listRows = Math.max(1, innerHeight(height) - 2);
  const selected = Math.min(state.selected, users.length - 1);
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
    const none = view.loading ? 'loading… · n: new' : 'n: register the first person';
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
}
