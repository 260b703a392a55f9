import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import type { TopicSource } from '../../../wire/index.js';
import { useNow } from '../../clock.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { TextField } from '../../components/TextField.js';
import { useOwnFeed } from '../../feed.js';
import { innerHeight, innerWidth } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import type { ScreenProps } from '../../screens.js';
import { clientDetail, clientLine, detailParts, fitDetail, talkerLines, treeLine } from './topic-lines.js';
import type { TopicsLink } from './topics-link.js';
import { initialTopicsState, queryOf, selectedClient, selectedRow, topicsReducer, type TopicsState } from './topics-state.js';
import { useTopicsKeys, type TopicsDoings } from './use-topics-keys.js';

/** The one line that says what a client of an outside broker cannot know. */
export const OUTSIDE_BROKER_LINE = 'publisher and Clients columns need the embedded broker';

export interface TopicsScreenProps extends ScreenProps {
  source: TopicSource;
  link: TopicsLink;
}

const reason = (error: unknown) => printable(error instanceof Error ? error.message : String(error));

function headLine(state: TopicsState, room: number): string {
  if (state.pane === 'clients') return state.view?.clients ? `${state.view.clients.length} connected` : 'loading…';
  const long = headLine2(state, true);
  return long.length <= room ? long : headLine2(state, false);
}

function headLine2(state: TopicsState, long: boolean): string {
  const parts: string[] = [];
  if (state.filter !== '') parts.push(long ? `filter ${state.filter}` : state.filter);
  if (state.search !== '') parts.push(long ? `search "${state.search}"` : `"${state.search}"`);
  if (state.retainedOnly) parts.push(long ? 'retained only' : 'R');
  const view = state.view;
  const counts = view ? `${view.topics} topics · ${view.messages} msgs${view.overflow > 0 ? ` · ${view.overflow} not indexed (full)` : ''}` : 'loading…';
  return parts.length > 0 ? `${printable(parts.join(' · '))} · ${view?.totalRows ?? 0} shown` : counts;
}

/** The line under the tree: a field being typed, a question, or the last action's result. */
function BottomLine({ state, width }: { state: TopicsState; width: number }) {
  switch (state.mode) {
    case 'filter':
    case 'search':
      return (
        <Text wrap="truncate-end">
          {state.mode === 'filter' ? 'filter (+ #): ' : 'search: '}
          <TextField value={state.draft} width={Math.max(4, width - 16)} active />
        </Text>
      );
    case 'confirm-delete':
      return <Text color="yellow" wrap="truncate-end">Delete the retained message on {printable(state.target ?? '')}? y/n</Text>;
    case 'confirm-disconnect':
      return <Text color="yellow" wrap="truncate-end">Disconnect client {printable(state.target ?? '')}? y/n</Text>;
    default:
      if (state.view?.filterProblem) return <Text color="red">bad filter: {state.view.filterProblem}</Text>;
      if (state.notice) return <Text color={state.notice.tone === 'error' ? 'red' : 'green'} wrap="truncate-end">{state.notice.text}</Text>;
      return <Text dimColor wrap="truncate-end">{state.pane === 'clients' ? 'c: back to topics · x: disconnect' : '/ filter · s search · r retained · c clients'}</Text>;
  }
}

function PublishForm({ state, width }: { state: TopicsState; width: number }) {
  const draft = state.publish;
  return (
    <>
      <Text color="cyan" wrap="truncate-end">Publish to {printable(draft.topic)}</Text>
      <TextField value={draft.payload} width={width} active />
      <Text wrap="truncate-end">
        QoS {draft.qos} (Tab) · {draft.retain ? 'retained' : 'not retained'} (Ctrl-R) · Enter send · Esc cancel
      </Text>
    </>
  );
}

/** The Topics screen: the broker's folded topic tree, the selected topic whole, and the clients. */
export function TopicsScreen({ source, link, width, height, focused }: TopicsScreenProps) {
  const listRows = Math.max(1, innerHeight(height) - 2);
  const [state, feed] = useOwnFeed(topicsReducer, initialTopicsState(listRows));
  const now = useNow(1_000, focused);
  useEffect(() => source.onView((view) => feed.dispatch({ type: 'view', view })), [source, feed]);
  useEffect(() => feed.dispatch({ type: 'resize', rows: listRows }), [feed, listRows]);
  const query = queryOf(state);
  const key = JSON.stringify(query);
  // Only the shown screen costs the broker anything: hidden, it asks for nothing.
  // `key` stands for the query: a new object every render, the same question until the state changes.
  useEffect(() => source.watch(focused ? query : null), [source, focused, key]);
  useEffect(() => () => source.watch(null), [source]);

  const doings = useMemo<TopicsDoings>(() => {
    const tell = (text: string, tone: 'info' | 'error' = 'error') => feed.dispatch({ type: 'notice', text, tone });
    return {
      canDisconnect: source.disconnect !== undefined,
      tell,
      publish: (draft) => {
        link.publish(draft.topic, draft.payload, draft.qos, draft.retain).then(
          () => tell(`published ${Buffer.byteLength(draft.payload)} B to ${printable(draft.topic)} (QoS ${draft.qos}${draft.retain ? ', retained' : ''})`, 'info'),
          (error: unknown) => tell(`could not publish to ${printable(draft.topic)}: ${reason(error)}`),
        );
      },
      deleteRetained: (topic) => {
        link.deleteRetained(topic).then(
          () => tell(`deleted the retained message on ${printable(topic)}`, 'info'),
          (error: unknown) => tell(`could not delete the retained message on ${printable(topic)}: ${reason(error)}`),
        );
      },
      save: (topic, what) => {
        const detail = feed.getSnapshot().view?.selected;
        if (detail?.topic !== topic || !detail.last) return tell(`no message on ${printable(topic)} yet`);
        const messages = what === 'payload' ? [detail.last] : detail.history;
        link.save(topic, what, messages).then(
          (file) => tell(`wrote ${messages.length} message${messages.length === 1 ? '' : 's'} to ${printable(file)}`, 'info'),
          (error: unknown) => tell(`could not write the file: ${reason(error)}`),
        );
      },
      disconnect: (clientId) => {
        void source.disconnect?.(clientId).then((done) => tell(done ? `disconnected ${printable(clientId)}` : `${printable(clientId)} is not connected`, done ? 'info' : 'error'));
      },
    };
  }, [feed, link, source]);
  useTopicsKeys({ focused, feed, doings, page: listRows });

  const leftWidth = Math.max(30, Math.min(Math.floor(width * 0.48), 64));
  const rightWidth = width - leftWidth;
  const leftInner = innerWidth(leftWidth);
  const rightInner = innerWidth(rightWidth);
  const rightRows = innerHeight(height);
  const view = state.view;

  let left: string[];
  let right: string[];
  // The client list scrolls with its cursor.
  const clientsFrom = Math.max(0, state.clientCursor - listRows + 1);
  if (state.pane === 'clients') {
    const clients = view?.clients ?? [];
    const none = !source.embedded ? 'Clients need the embedded broker' : view ? 'no clients connected' : 'loading…';
    left = clients.length === 0 ? [none] : clients.slice(clientsFrom, clientsFrom + listRows).map((client) => clientLine(client, leftInner));
    const client = selectedClient(state);
    right = [
      ...(client ? clientDetail(client, now) : []),
      '',
      ...talkerLines('busiest topics', view?.topTopics, rightInner),
      ...talkerLines('busiest clients', view?.topClients, rightInner),
    ];
  } else {
    left = (view?.rows ?? []).map((row) => treeLine(row, leftInner, now));
    if (view && view.rows.length === 0) left = [view.topics === 0 ? 'no topics yet' : 'no topic matches'];
    const row = selectedRow(state);
    // An answer to an older question may still name the topic selected before.
    const detail = row?.isTopic && view?.selected?.topic === row.path ? view.selected : undefined;
    const headRoom = rightRows - (state.mode === 'publish' ? 3 : 0) - (source.embedded ? 0 : Math.ceil(OUTSIDE_BROKER_LINE.length / Math.max(1, rightInner)));
    right = detail
      ? fitDetail(detailParts(detail, rightInner, now, state.field, source.embedded), headRoom, state.detailScroll)
      : [row ? `${nodeName(row.path)}: ${row.topics} topics, ${row.count} messages under it (→ unfolds)` : 'select a topic'];
  }
  const cursorLine = state.pane === 'clients' ? state.clientCursor - clientsFrom : state.cursor - (view?.offset ?? 0);
  // Never more lines than the panes hold: Ink would squeeze the first ones away.
  left = left.slice(0, listRows);
  right = right.slice(0, rightRows - (state.mode === 'publish' ? 3 : 0) - (source.embedded || state.pane === 'clients' ? 0 : Math.ceil(OUTSIDE_BROKER_LINE.length / Math.max(1, rightInner))));

  return (
    <Box width={width} height={height}>
      <PaneFrame number={1} title={state.pane === 'clients' ? 'Clients' : 'Topics'} note={fit(headLine(state, leftWidth - 16), Math.max(0, leftWidth - 16)).trimEnd()} width={leftWidth} height={height} focused={focused}>
        {left.map((line, i) => (
          <Text key={i} wrap="truncate-end" inverse={focused && i === cursorLine}>
            {line}
          </Text>
        ))}
        <Box flexGrow={1} />
        <BottomLine state={state} width={leftInner} />
      </PaneFrame>
      <PaneFrame number={2} title={state.pane === 'clients' ? 'Client' : 'Message'} width={rightWidth} height={height} focused={false}>
        {source.embedded || state.pane === 'clients' ? null : <Text dimColor>{OUTSIDE_BROKER_LINE}</Text>}
        {right.map((line, i) => (
          <Text key={i} wrap="truncate-end" bold={i === 0}>
            {line}
          </Text>
        ))}
        {state.mode === 'publish' ? <PublishForm state={state} width={rightInner} /> : null}
      </PaneFrame>
    </Box>
  );
}

/** A folded node's name; the empty first level of topics such as '/lab/x' needs words to be seen. */
function nodeName(path: string): string {
  return path === '' ? "'' (the topics that start with /)" : printable(path);
}
