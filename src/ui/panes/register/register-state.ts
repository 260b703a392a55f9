import type { UserView } from '../../../sim/view-types.js';
import { moveSelection } from '../../list-selection.js';
import { inRange, LETTERS_AND_DIGITS, PREFERENCE_CELSIUS, USER_NAME_MAX_LENGTH } from '../../../wire/ranges.js';

export type RegisterMode = 'browse' | 'name' | 'temperature' | 'edit' | 'confirm-delete';

export interface RegisterState {
  mode: RegisterMode;
  /** The new user's fields. */
  name: string;
  temperature: string;
  /** A registration sent and not yet answered: a refusal puts it back into the form. */
  sending: { name: string; temperature: string } | null;
  /** The preference being changed in 'edit'. */
  edit: string;
  /** Whom 'edit' or 'confirm-delete' is about. */
  target: string | null;
  selected: number;
  /** Why the last Enter was refused. */
  error: string | null;
}

export type RegisterAction =
  | { type: 'start-new' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'switch-field' }
  | { type: 'invalid'; error: string; field?: 'name' | 'temperature' }
  | { type: 'to-temperature' }
  | { type: 'cancel' }
  | { type: 'sent' }
  | { type: 'registered'; name: string }
  /** The home refused what was sent: back to the form as it was, so Enter sends it again. */
  | { type: 'refused'; form: 'register' }
  | { type: 'refused'; form: 'edit'; name: string; value: string }
  | { type: 'select'; by: number; count: number }
  | { type: 'start-edit'; user: UserView }
  | { type: 'start-delete'; name: string };

export const initialRegisterState: RegisterState = {
  mode: 'browse',
  name: '',
  temperature: '',
  sending: null,
  edit: '',
  target: null,
  selected: 0,
  error: null,
};


/** Why a name cannot be registered, or null. The wire format allows letters and digits only. */
export function validateName(name: string, users: readonly UserView[]): string | null {
  if (name === '') return 'Type a name.';
  if (!LETTERS_AND_DIGITS.test(name)) return 'A name has letters and digits only.';
  if (name.length > USER_NAME_MAX_LENGTH) return `A name has at most ${USER_NAME_MAX_LENGTH} characters.`;
  if (users.some((user) => user.name === name)) return `${name} is already registered; select it and press e.`;
  return null;
}

/** Why a preferred temperature is refused, or null. */
export function validateTemperature(text: string): string | null {
  if (text.trim() === '') return 'Type the preferred temperature.';
  if (!/^-?\d+([.,]\d+)?$/.test(text.trim())) return 'The temperature is a number such as 21.5.';
  const value = parseTemperature(text);
  if (!inRange(value, PREFERENCE_CELSIUS)) {
    return `The temperature is between ${PREFERENCE_CELSIUS.min} and ${PREFERENCE_CELSIUS.max} °C.`;
  }
  return null;
}

/** People type a decimal comma too. */
export function parseTemperature(text: string): number {
  return Number(text.trim().replace(',', '.'));
}

function typed(state: RegisterState, change: (value: string) => string): RegisterState {
  if (state.mode === 'name') return { ...state, name: change(state.name), error: null };
  if (state.mode === 'temperature') return { ...state, temperature: change(state.temperature), error: null };
  if (state.mode === 'edit') return { ...state, edit: change(state.edit), error: null };
  return state;
}

export function registerReducer(state: RegisterState, action: RegisterAction): RegisterState {
  switch (action.type) {
    case 'start-new':
      return { ...state, mode: 'name', error: null };
    case 'type':
      return typed(state, (value) => value + action.text);
    case 'erase':
      return typed(state, (value) => Array.from(value).slice(0, -1).join(''));
    case 'switch-field':
      if (state.mode === 'name') return { ...state, mode: 'temperature' };
      if (state.mode === 'temperature') return { ...state, mode: 'name' };
      return state;
    case 'to-temperature':
      return { ...state, mode: 'temperature', error: null };
    case 'invalid':
      return { ...state, error: action.error, mode: action.field ?? state.mode };
    case 'cancel':
      // Esc gives up the form: the next n starts from empty fields.
      return { ...state, mode: 'browse', target: null, error: null, name: '', temperature: '', edit: '' };
    case 'sent':
      if (state.mode === 'edit') return { ...state, mode: 'browse', target: null, error: null };
      // The form is empty for the next person at once; what was sent waits in `sending`.
      return { ...state, mode: 'browse', target: null, error: null, name: '', temperature: '', sending: { name: state.name, temperature: state.temperature } };
    case 'registered':
      return state.sending?.name === action.name ? { ...state, sending: null } : state;
    case 'refused':
      // Someone who has moved on to another form keeps it.
      if (state.mode !== 'browse') return state;
      if (action.form === 'edit') return { ...state, mode: 'edit', target: action.name, edit: action.value, error: null };
      if (!state.sending) return state;
      return { ...state, mode: 'temperature', name: state.sending.name, temperature: state.sending.temperature, sending: null, error: null };
    case 'select':
      return { ...state, selected: moveSelection(state.selected, action.by, action.count) };
    case 'start-edit':
      return { ...state, mode: 'edit', target: action.user.name, edit: String(action.user.temperature), error: null };
    case 'start-delete':
      return { ...state, mode: 'confirm-delete', target: action.name, error: null };
  }
}

/** The problem to show under the form: the refused Enter, or the field being typed as it stands. */
export function formProblem(state: RegisterState, users: readonly UserView[]): string | null {
  if (state.error) return state.error;
  if (state.mode === 'name' && state.name !== '') return validateName(state.name, users);
  if (state.mode === 'temperature' && state.temperature !== '') return validateTemperature(state.temperature);
  if (state.mode === 'edit' && state.edit !== '') return validateTemperature(state.edit);
  return null;
}

/** Every mode but browsing takes every key: the fields, and the y/n question. */
export function isEditing(state: RegisterState): boolean {
  return state.mode !== 'browse';
}
