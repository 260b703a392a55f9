import type { Feed } from '../../feed.js';
import type { KeyPress } from '../../keys/key-press.js';
import { commandOf } from '../../keys/key-table.js';
import { useKeys } from '../../keys/use-keys.js';
import { isEditing, selectedClient, selectedTopic, type TopicsAction, type TopicsState } from './topics-state.js';

/** What the keys do beyond the screen's own state: they publish, delete, save and disconnect. */
export interface TopicsDoings {
  publish(draft: TopicsState['publish']): void;
  deleteRetained(topic: string): void;
  save(topic: string, what: 'payload' | 'history'): void;
  disconnect(clientId: string): void;
  /** Says why a key does nothing here ("no retained message on x"). */
  tell(text: string): void;
  /** Whether clients can be disconnected (only in the embedded broker). */
  canDisconnect: boolean;
}

export interface TopicsKeysOptions {
  focused: boolean;
  feed: Feed<TopicsState, TopicsAction>;
  doings: TopicsDoings;
  /** Rows one PgUp moves. */
  page: number;
}

/** A key while a field, the publish form or a question takes every key. */
function editingKey(press: KeyPress, state: TopicsState, dispatch: (action: TopicsAction) => void, doings: TopicsDoings): void {
  if (state.mode === 'confirm-delete' || state.mode === 'confirm-disconnect') {
    const answer = commandOf('topics', press);
    if (answer === 'yes' && state.target !== null) {
      if (state.mode === 'confirm-delete') doings.deleteRetained(state.target);
      else doings.disconnect(state.target);
    }
    // Any other key is a no: a question is never answered by accident.
    dispatch({ type: 'leave' });
    return;
  }
  switch (commandOf('topics-form', press)) {
    case 'submit':
      if (state.mode === 'publish') doings.publish(state.publish);
      dispatch({ type: 'apply' });
      return;
    case 'cancel':
      dispatch({ type: 'leave' });
      return;
    case 'erase':
      dispatch({ type: 'erase' });
      return;
    case 'next-qos':
      dispatch({ type: 'next-qos' });
      return;
    case 'toggle-retain':
      dispatch({ type: 'toggle-retain' });
      return;
    default:
      if (press.text && !press.ctrl) dispatch({ type: 'type', text: press.text });
  }
}

export function useTopicsKeys({ focused, feed, doings, page }: TopicsKeysOptions): void {
  useKeys(
    'topics',
    {
      editing: () => isEditing(feed.getSnapshot()),
      subscribe: feed.subscribe,
      handle: (press) => {
        const state = feed.getSnapshot();
        const dispatch = feed.dispatch;
        if (isEditing(state)) {
          editingKey(press, state, dispatch, doings);
          return true;
        }
        const topic = selectedTopic(state);
        const command = commandOf('topics', press);
        switch (command) {
          case 'up':
          case 'down':
            dispatch({ type: 'move', by: command === 'up' ? -1 : 1 });
            return true;
          case 'page-up':
          case 'page-down':
            dispatch({ type: 'move', by: command === 'page-up' ? -page : page });
            return true;
          case 'fold':
          case 'unfold':
            dispatch({ type: command });
            return true;
          case 'filter':
          case 'search':
            dispatch({ type: 'open-field', field: command });
            return true;
          case 'retained-only':
            dispatch({ type: 'toggle-retained' });
            return true;
          case 'clients':
            dispatch({ type: 'toggle-pane' });
            return true;
          case 'next-field':
            dispatch({ type: 'next-field' });
            return true;
          case 'detail-up':
          case 'detail-down':
            dispatch({ type: 'scroll-detail', by: command === 'detail-up' ? -1 : 1 });
            return true;
          case 'publish':
            if (topic === null) doings.tell('select a topic to publish to');
            else dispatch({ type: 'start-publish' });
            return true;
          case 'delete-retained':
            if (topic === null || state.view?.selected?.topic !== topic || !state.view.selected.retained) {
              doings.tell(topic === null ? 'select a retained topic to delete' : `no retained message on ${topic}`);
            } else dispatch({ type: 'ask', question: 'confirm-delete', target: topic });
            return true;
          case 'write-payload':
          case 'write-history':
            if (topic === null) doings.tell('select a topic to save');
            else doings.save(topic, command === 'write-payload' ? 'payload' : 'history');
            return true;
          case 'disconnect-client': {
            const client = selectedClient(state);
            if (state.pane !== 'clients' || !client) doings.tell('open the Clients view (c) and select a client to disconnect');
            else if (!doings.canDisconnect) doings.tell('only the embedded broker can disconnect a client');
            else dispatch({ type: 'ask', question: 'confirm-disconnect', target: client.id });
            return true;
          }
          default:
            return false;
        }
      },
    },
    focused,
  );
}
