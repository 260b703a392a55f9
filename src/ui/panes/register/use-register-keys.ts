import { useInput } from 'ink';
import type { UserView } from '../../../sim/view-types.js';
import { readFieldKey } from '../../field-keys.js';
import type { Act } from '../../pane-props.js';
import {
  parseTemperature,
  validateName,
  validateTemperature,
  type RegisterAction,
  type RegisterState,
} from './register-state.js';

export interface RegisterKeysOptions {
  focused: boolean;
  state: RegisterState;
  dispatch: (action: RegisterAction) => void;
  users: readonly UserView[];
  act: Act;
}

export function useRegisterKeys({ focused, state, dispatch, users, act }: RegisterKeysOptions): void {
  const selectedUser = users[Math.min(state.selected, users.length - 1)];

  function submitForm(): void {
    const nameProblem = validateName(state.name, users);
    if (nameProblem) return dispatch({ type: 'invalid', error: nameProblem, field: 'name' });
    if (state.mode === 'name') return dispatch({ type: 'to-temperature' });
    const temperatureProblem = validateTemperature(state.temperature);
    if (temperatureProblem) return dispatch({ type: 'invalid', error: temperatureProblem, field: 'temperature' });
    const name = state.name;
    const temperature = parseTemperature(state.temperature);
    dispatch({ type: 'sent' });
    void act(`register ${name}`, (actions) => actions.register(name, temperature)).then((ok) => {
      if (ok) dispatch({ type: 'registered', name });
    });
  }

  function submitEdit(): void {
    const problem = validateTemperature(state.edit);
    if (problem) return dispatch({ type: 'invalid', error: problem });
    const name = state.target!;
    const temperature = parseTemperature(state.edit);
    dispatch({ type: 'sent' });
    void act(`change ${name} to ${temperature} °C`, (actions) => actions.changeTemperature(name, temperature));
  }

  useInput(
    (input, key) => {
      switch (state.mode) {
        case 'confirm-delete': {
          const name = state.target!;
          dispatch({ type: 'cancel' });
          if (input === 'y' || input === 'Y') void act(`delete ${name}`, (actions) => actions.remove(name));
          return;
        }
        case 'name':
        case 'temperature':
        case 'edit': {
          const field = readFieldKey(input, key);
          if (field.kind === 'cancel') dispatch({ type: 'cancel' });
          else if (field.kind === 'erase') dispatch({ type: 'erase' });
          else if (field.kind === 'type') dispatch({ type: 'type', text: field.text });
          else if (field.kind === 'switch') dispatch({ type: 'switch-field' });
          else if (field.kind === 'submit') {
            if (state.mode === 'edit') submitEdit();
            else submitForm();
          }
          return;
        }
        case 'browse':
          if (input === 'n' || key.return) dispatch({ type: 'start-new' });
          else if (key.upArrow) dispatch({ type: 'select', by: -1, count: users.length });
          else if (key.downArrow) dispatch({ type: 'select', by: 1, count: users.length });
          else if (input === 'e' && selectedUser) dispatch({ type: 'start-edit', user: selectedUser });
          else if (input === 'd' && selectedUser) dispatch({ type: 'start-delete', name: selectedUser.name });
      }
    },
    { isActive: focused },
  );
}
