import type { HomeViewSource } from '../../../sim/view-types.js';
import type { Feed } from '../../feed.js';
import { readFieldKey } from '../../field-keys.js';
import type { KeyPress } from '../../keys/key-press.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { selectedRow } from '../../list-selection.js';
import type { Act } from '../../pane-props.js';
import {
  isEditing,
  parseTemperature,
  validateName,
  validateTemperature,
  type RegisterAction,
  type RegisterState,
} from './register-state.js';

export interface RegisterKeysOptions {
  focused: boolean;
  feed: Feed<RegisterState, RegisterAction>;
  home: HomeViewSource;
  act: Act;
}

export function useRegisterKeys({ focused, feed, home, act }: RegisterKeysOptions): void {
  const dispatch = feed.dispatch;

  function submitForm(state: RegisterState): void {
    const users = home.getSnapshot().users;
    const nameProblem = validateName(state.name, users);
    if (nameProblem) return dispatch({ type: 'invalid', error: nameProblem, field: 'name' });
    if (state.mode === 'name') return dispatch({ type: 'to-temperature' });
    const temperatureProblem = validateTemperature(state.temperature);
    if (temperatureProblem) return dispatch({ type: 'invalid', error: temperatureProblem, field: 'temperature' });
    const name = state.name;
    const temperature = parseTemperature(state.temperature);
    dispatch({ type: 'sent' });
    void act(`register ${name}`, (actions) => actions.register(name, temperature)).then((ok) => {
      dispatch(ok ? { type: 'registered', name } : { type: 'refused', form: 'register' });
    });
  }

  function submitEdit(state: RegisterState): void {
    const problem = validateTemperature(state.edit);
    if (problem) return dispatch({ type: 'invalid', error: problem });
    const name = state.target!;
    const value = state.edit;
    const temperature = parseTemperature(value);
    dispatch({ type: 'sent' });
    void act(`change ${name} to ${temperature} °C`, (actions) => actions.changeTemperature(name, temperature)).then((ok) => {
      if (!ok) dispatch({ type: 'refused', form: 'edit', name, value });
    });
  }

  function handle(press: KeyPress): boolean {
    const state = feed.getSnapshot();
    switch (state.mode) {
      case 'confirm-delete': {
        const name = state.target!;
        dispatch({ type: 'cancel' });
        if (press.name === 'y' || press.name === 'Y') void act(`delete ${name}`, (actions) => actions.remove(name));
        return true;
      }
      case 'name':
      case 'temperature':
      case 'edit': {
        const field = readFieldKey(press);
        if (field.kind === 'cancel') dispatch({ type: 'cancel' });
        else if (field.kind === 'erase') dispatch({ type: 'erase' });
        else if (field.kind === 'type') dispatch({ type: 'type', text: field.text });
        else if (field.kind === 'switch') dispatch({ type: 'switch-field' });
        else if (field.kind === 'submit') {
          if (state.mode === 'edit') submitEdit(state);
          else submitForm(state);
        }
        return true;
      }
      case 'browse': {
        const users = home.getSnapshot().users;
        const user = users[selectedRow(state.selected, users.length)];
        switch (commandOf('register', press)) {
          case 'new-user':
            dispatch({ type: 'start-new' });
            return true;
          case 'up':
          case 'down':
            dispatch({ type: 'select', by: commandOf('register', press) === 'up' ? -1 : 1, count: users.length });
            return true;
          case 'edit-user':
            if (user) dispatch({ type: 'start-edit', user });
            return true;
          case 'delete-user':
            if (user) dispatch({ type: 'start-delete', name: user.name });
            return true;
          default:
            return false;
        }
      }
    }
  }

  useKeys('register', { editing: () => isEditing(feed.getSnapshot()), subscribe: feed.subscribe, handle }, focused);
}
