import { Box, Text } from 'ink';
import { useEffect, useRef } from 'react';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerHeight, innerWidth } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import type { ScreenProps } from '../../screens.js';
import { useFeed, useOwnFeed } from '../../feed.js';
import { initialSelection, selectedRow, selectionReducer } from '../../list-selection.js';
import type { PlaygroundSession } from './playground-session.js';
import { decodeErrorText, heardText, rateText, type ConsumerView, type DemoTone, type ProducerKind, type ProducerView } from './playground-state.js';
import { usePlaygroundKeys } from './use-playground-keys.js';

/** Producers: three lines and the keys; the demo: up to six lines. */
const TOP_HEIGHT = 6 + 2;

const TONE: Record<DemoTone, string | undefined> = { pending: undefined, good: 'green', bad: 'red', warn: 'yellow' };

/** The value comes before the rate and the count, so a narrow pane cuts those, never the value. */
function ProducerLine({ producer, selected }: { producer: ProducerView; selected: boolean }) {
  return (
    <Text wrap="truncate-end" inverse={selected}>
      {selected ? '▸ ' : '  '}
      {fit(producer.kind, 7)}
      <Text color={producer.running ? 'green' : 'gray'}>{producer.running ? '● on ' : '○ off'}</Text>
      {producer.last === undefined ? ' '.repeat(6) : producer.last.toFixed(2).padStart(6)}
      {rateText(producer.rateHz).padStart(6)}
      <Text dimColor>{` ×${producer.sent}`}</Text>
    </Text>
  );
}

/** The newest lines that fit in `rows` when each wraps at `columns`, oldest first. */
function linesThatFit(lines: readonly string[], columns: number, rows: number): string[] {
  const fitting: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const needs = Math.max(1, Math.ceil(lines[i]!.length / Math.max(1, columns)));
    if (used + needs > rows) break;
    used += needs;
    fitting.unshift(lines[i]!);
  }
  return fitting;
}

/** How each producer's payload travels, for the line under the list. */
const PAYLOAD: Record<ProducerKind, string> = {
  simple: 'float as text, QoS 0',
  json: 'MessageDescriptor, QoS 1',
  device: 'MessageDescriptor, QoS 1; info retained',
};

function ConsumerPane({ consumer, number, width, height }: { consumer: ConsumerView; number: number; width: number; height: number }) {
  const columns = innerWidth(width);
  const errorText = consumer.error ? printable(decodeErrorText(consumer.error, consumer.filters.some((f) => /[+#]/.test(f)))) : '';
  // The error takes the rows it needs (up to four): a narrow pane still says the whole reason.
  const errorLines = consumer.down ? 2 : consumer.error ? Math.min(4, Math.ceil(errorText.length / Math.max(1, columns)) + 1) : 0;
  const room = Math.max(0, innerHeight(height) - 1 - errorLines);
  // A narrow pane wraps a line onto the rows below rather than cutting its value off.
  const heard = linesThatFit(consumer.heard.map((line) => printable(heardText(line))), columns, room);
  return (
    <PaneFrame number={number} title={`Consumer ${consumer.name}`} note={consumer.count > 0 ? `${consumer.count}` : undefined} width={width} height={height} focused={false}>
      <Text dimColor wrap="truncate-end">
        ⇠ {consumer.filters.join('  ')}
      </Text>
      {heard.length === 0 && errorLines === 0 ? <Text dimColor>nothing yet</Text> : null}
      {heard.map((line, i) => (
        <Text key={i} wrap="wrap">
          {line}
        </Text>
      ))}
      {consumer.down ? (
        <Box height={2}>
          <Text color="red" wrap="truncate-end">
            not listening: {printable(consumer.down)}
          </Text>
        </Box>
      ) : consumer.error ? (
        <Box height={errorLines} flexShrink={0} overflow="hidden">
          <Text color="red">{errorText}</Text>
        </Box>
      ) : null}
    </PaneFrame>
  );
}

export interface PlaygroundScreenProps extends ScreenProps {
  session: PlaygroundSession;
  /** Start every producer at 1 Hz the first time the screen is shown. */
  startOnFirstShow: boolean;
}

/** The MQTT course on one screen: producers to start, stop and re-rate; what each consumer decoded; who may read whose data. */
export function PlaygroundScreen({ session, startOnFirstShow, width, height, focused }: PlaygroundScreenProps) {
  const state = useFeed(session.feed);
  const [selection, selectionFeed] = useOwnFeed(selectionReducer, initialSelection);
  const selected = selectedRow(selection.selected, state.producers.length);
  const selectedNow = () => selectedRow(selectionFeed.getSnapshot().selected, session.feed.getSnapshot().producers.length);
  const shown = useRef(false);
  useEffect(() => {
    if (focused) {
      shown.current = true;
      void session.shown(startOnFirstShow);
    } else if (shown.current) void session.hidden();
  }, [focused, startOnFirstShow, session]);
  usePlaygroundKeys({
    focused,
    select: (by) => selectionFeed.dispatch({ type: 'select', by, count: session.feed.getSnapshot().producers.length }),
    toggle: () => void session.toggle(selectedNow()),
    rate: (by) => session.step(selectedNow(), by),
    publishAsAlice: () => void session.publishAsAlice(),
  });

  // The demo's lines are the longer ones.
  const left = Math.floor(width * 0.45);
  const right = width - left;
  const bottom = Math.max(4, height - TOP_HEIGHT);
  const third = Math.floor(width / 3);
  const widths = [third, third, width - 2 * third];
  const selectedProducer = state.producers[selected];
  const { authorized } = state;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box>
        <PaneFrame number={1} title="Producers" width={left} height={TOP_HEIGHT} focused={focused}>
          {state.producers.map((producer, i) => (
            <ProducerLine key={producer.kind} producer={producer} selected={focused && i === selected} />
          ))}
          {selectedProducer ? (
            <Text wrap="truncate-end">
              ⇢ {selectedProducer.topic} <Text dimColor>({PAYLOAD[selectedProducer.kind]})</Text>
            </Text>
          ) : null}
          {selectedProducer?.error ? (
            <Text color="red" wrap="truncate-end">
              {selectedProducer.kind}: {printable(selectedProducer.error)}
            </Text>
          ) : (
            <Text dimColor wrap="truncate-end">
              Space start/stop · +/- rate 0.2..20 Hz · a alice
            </Text>
          )}
        </PaneFrame>
        <PaneFrame
          number={2}
          title="Authorized"
          note={authorized.brokerChecksLogins ? 'logins checked' : 'logins NOT checked'}
          width={right}
          height={TOP_HEIGHT}
          focused={false}
        >
          {authorized.steps.length === 0 ? <Text dimColor>logging alice and bob in…</Text> : null}
          {authorized.steps.map((step) => (
            <Text key={step.id} color={TONE[step.tone]} wrap="truncate-end">
              {printable(step.text)}
            </Text>
          ))}
        </PaneFrame>
      </Box>
      <Box>
        {state.consumers.map((consumer, i) => (
          <ConsumerPane key={consumer.name} consumer={consumer} number={i + 3} width={widths[i]!} height={bottom} />
        ))}
      </Box>
    </Box>
  );
}
