/**
 * The Topics screen's own state: where the cursor is in the tree or the client list, what is
 * folded, filtered and typed, and the newest answer of the topic index. A pure reducer; the
 * query the screen sends is derived from it (queryOf).
 */
import type { ClientView, TopicQuery, TopicRow, TopicView } from '../../../wire/index.js';

export type TopicsMode = 'browse' | 'filter' | 'search' | 'publish' | 'confirm-delete' | 'confirm-disconnect';

export interface PublishDraft {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
}

export interface TopicsState {
  pane: 'topics' | 'clients';
  mode: TopicsMode;
  /** Index of the selected row among all the rows the query shows. */
  cursor: number;
  /** First row shown. */
  offset: number;
  /** Rows that fit; set by the screen from its height. */
  rows: number;
  expanded: string[];
  filter: string;
  search: string;
  retainedOnly: boolean;
  /** The text of the filter or search field while it is typed. */
  draft: string;
  publish: PublishDraft;
  /** Which numeric field of a JSON payload the graph shows (an index into the fields found). */
  field: number;
  /** Lines the payload is scrolled down. */
  detailScroll: number;
  clientCursor: number;
  /** The topic or client a question (delete? disconnect?) is about. */
  target: string | null;
  view: TopicView | null;
  /** What the last action did or why a key did nothing. */
  notice: { text: string; tone: 'info' | 'error' } | null;
}

export type TopicsAction =
  | { type: 'view'; view: TopicView }
  | { type: 'resize'; rows: number }
  | { type: 'move'; by: number }
  | { type: 'fold' }
  | { type: 'unfold' }
  | { type: 'open-field'; field: 'filter' | 'search' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'apply' }
  | { type: 'leave' }
  | { type: 'toggle-retained' }
  | { type: 'toggle-pane' }
  | { type: 'start-publish' }
  | { type: 'next-qos' }
  | { type: 'toggle-retain' }
  | { type: 'ask'; question: 'confirm-delete' | 'confirm-disconnect'; target: string }
  | { type: 'next-field' }
  | { type: 'scroll-detail'; by: number }
  | { type: 'notice'; text: string; tone: 'info' | 'error' };

export const HISTORY_WANTED = 60;

export function initialTopicsState(rows = 10): TopicsState {
  return {
    pane: 'topics',
    mode: 'browse',
    cursor: 0,
    offset: 0,
    rows,
    expanded: [],
    filter: '',
    search: '',
    retainedOnly: false,
    draft: '',
    publish: { topic: '', payload: '', qos: 0, retain: false },
    field: 0,
    detailScroll: 0,
    clientCursor: 0,
    target: null,
    view: null,
    notice: null,
  };
}

/** The row under the cursor in the newest answer, if the answer holds it. */
export function selectedRow(state: TopicsState): TopicRow | undefined {
  const view = state.view;
  if (!view) return undefined;
  return view.rows[state.cursor - view.offset];
}

export function selectedClient(state: TopicsState): ClientView | undefined {
  const clients = state.view?.clients ?? [];
  return clients[Math.min(state.clientCursor, clients.length - 1)];
}

/** The topic whose detail is shown: the selected row when it is a topic. */
export function selectedTopic(state: TopicsState): string | null {
  const row = selectedRow(state);
  return row?.isTopic ? row.path : null;
}

/** What the screen asks the index for, from its state. */
export function queryOf(state: TopicsState): TopicQuery {
  return {
    filter: state.filter,
    search: state.search,
    retainedOnly: state.retainedOnly,
    expanded: state.expanded,
    offset: state.offset,
    rows: state.rows,
    selected: selectedTopic(state),
    history: HISTORY_WANTED,
    clients: state.pane === 'clients',
  };
}

/** Every mode but browsing takes every key: the fields, the publish form and the y/n questions. */
export function isEditing(state: TopicsState): boolean {
  return state.mode !== 'browse';
}

/** The cursor moved to `cursor` (clamped to `total` rows), and the window following it. */
function withCursor(state: TopicsState, cursor: number, total: number): TopicsState {
  const next = Math.max(0, Math.min(cursor, total - 1));
  let offset = state.offset;
  if (next < offset) offset = next;
  if (next >= offset + state.rows) offset = next - state.rows + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, total - state.rows)));
  const moved = next !== state.cursor;
  return { ...state, cursor: next, offset, ...(moved ? { detailScroll: 0, field: 0 } : {}) };
}

/** A new list (filter, search, toggle): the cursor goes back to the top. */
function relisted(state: TopicsState, change: Partial<TopicsState>): TopicsState {
  return { ...state, ...change, cursor: 0, offset: 0, detailScroll: 0 };
}

export function topicsReducer(state: TopicsState, action: TopicsAction): TopicsState {
  switch (action.type) {
    case 'view': {
      const next = { ...state, view: action.view };
      // The list shrank under the cursor (a filter, a client gone): keep it on a row that is there.
      return withCursor(next, state.cursor, Math.max(1, action.view.totalRows));
    }
    case 'resize':
      return state.rows === action.rows ? state : withCursor({ ...state, rows: Math.max(1, action.rows) }, state.cursor, state.view?.totalRows ?? 1);
    case 'move': {
      if (state.pane === 'clients') {
        const count = state.view?.clients?.length ?? 0;
        return { ...state, clientCursor: Math.max(0, Math.min(state.clientCursor + action.by, count - 1)) };
      }
      return withCursor(state, state.cursor + action.by, state.view?.totalRows ?? 0);
    }
    case 'unfold':
    case 'fold': {
      const row = selectedRow(state);
      if (!row?.hasChildren) return state;
      const open = state.expanded.includes(row.path);
      if (action.type === 'unfold' && !open) return { ...state, expanded: [...state.expanded, row.path] };
      // Enter on an open node folds it; so does ←. Folding drops what was open under it too.
      if (open && (action.type === 'fold' || action.type === 'unfold')) {
        return { ...state, expanded: state.expanded.filter((path) => path !== row.path && !path.startsWith(`${row.path}/`)) };
      }
      return state;
    }
    case 'open-field':
      return { ...state, mode: action.field, draft: action.field === 'filter' ? state.filter : state.search };
    case 'type':
      if (state.mode === 'publish') return { ...state, publish: { ...state.publish, payload: state.publish.payload + action.text } };
      return state.mode === 'filter' || state.mode === 'search' ? { ...state, draft: state.draft + action.text } : state;
    case 'erase':
      if (state.mode === 'publish') return { ...state, publish: { ...state.publish, payload: Array.from(state.publish.payload).slice(0, -1).join('') } };
      return { ...state, draft: Array.from(state.draft).slice(0, -1).join('') };
    case 'apply':
      if (state.mode === 'filter') return relisted(state, { mode: 'browse', filter: state.draft.trim() });
      if (state.mode === 'search') return relisted(state, { mode: 'browse', search: state.draft });
      return { ...state, mode: 'browse', target: null };
    case 'leave':
      return { ...state, mode: 'browse', target: null, draft: '' };
    case 'toggle-retained':
      return relisted(state, { retainedOnly: !state.retainedOnly });
    case 'toggle-pane':
      return { ...state, pane: state.pane === 'topics' ? 'clients' : 'topics' };
    case 'start-publish': {
      const topic = selectedTopic(state);
      if (topic === null) return state;
      const last = state.view?.selected?.topic === topic ? state.view.selected.last : undefined;
      const payload = last ? Buffer.from(last.payload).toString('utf8') : '';
      return { ...state, mode: 'publish', publish: { topic, payload, qos: last?.qos ?? 0, retain: state.view?.selected?.retained ?? false } };
    }
    case 'next-qos':
      return state.mode === 'publish' ? { ...state, publish: { ...state.publish, qos: ((state.publish.qos + 1) % 3) as 0 | 1 | 2 } } : state;
    case 'toggle-retain':
      return state.mode === 'publish' ? { ...state, publish: { ...state.publish, retain: !state.publish.retain } } : state;
    case 'ask':
      return { ...state, mode: action.question, target: action.target };
    case 'next-field':
      return { ...state, field: state.field + 1 };
    case 'scroll-detail':
      return { ...state, detailScroll: Math.max(0, state.detailScroll + action.by) };
    case 'notice':
      return { ...state, notice: { text: action.text, tone: action.tone } };
  }
}
