import { Box, Text } from 'ink';
import { clockTime } from '../../clock.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { TextField } from '../../components/TextField.js';
import { innerHeight, innerWidth } from '../../pane-props.js';
import { printable } from '../../printable.js';
import { useFeed, useOwnFeed } from '../../feed.js';
import { USAGE } from './command.js';
import type { ConsoleLine, ConsoleSnapshot, ConsoleSource } from './console-client.js';
import { consoleInputReducer, initialConsoleInput } from './console-state.js';
import { useConsoleKeys } from './use-console-keys.js';

export interface ConsoleScreenProps {
  width: number;
  height: number;
  focused: boolean;
  source: ConsoleSource;
}

export const SYNTAX_LINE = `${USAGE.publish} · ${USAGE.subscribe} · ${USAGE.unsubscribe} · ${USAGE.connect} · DISCONNECT`;

function statusText(snapshot: ConsoleSnapshot): { text: string; color: string } {
  switch (snapshot.status) {
    case 'connected':
      return { text: `connected as ${snapshot.clientId}${snapshot.mqtt5 ? ' (MQTT 5)' : ''}`, color: 'green' };
    case 'connecting':
      return { text: 'connecting…', color: 'yellow' };
    case 'reconnecting':
      return { text: 'broker out of reach, reconnecting…', color: 'yellow' };
    case 'disconnected':
      return { text: 'disconnected (CONNECT)', color: 'red' };
  }
}

function OutputLine({ line }: { line: ConsoleLine }) {
  switch (line.kind) {
    case 'typed':
      return (
        <Text wrap="truncate-end" dimColor>
          {'> '}
          {printable(line.text)}
        </Text>
      );
    case 'done':
      return (
        <Text wrap="truncate-end" color="green">
          ✓ {printable(line.text)}
        </Text>
      );
    case 'error':
      return (
        <Text wrap="truncate-end" color="red">
          ✗ {printable(line.text)}
        </Text>
      );
    case 'message':
      return (
        <Text wrap="truncate-end">
          <Text dimColor>{clockTime(line.at)} ←</Text> <Text color="cyan">{line.topic}</Text>{' '}
          <Text dimColor>
            q{line.qos}
            {line.retain ? ' retained' : ''}
          </Text>{' '}
          {line.preview}
          {line.properties !== undefined && <Text color="magenta"> {line.properties}</Text>}
        </Text>
      );
  }
}

/** A typed MQTT console: its own client, a command line, and what arrives on its subscriptions. */
export function ConsoleScreen({ width, height, focused, source }: ConsoleScreenProps) {
  const snapshot = useFeed(source);
  const [state, feed] = useOwnFeed(consoleInputReducer, initialConsoleInput);
  const inField = state.inField;

  const contentWidth = innerWidth(width);
  // Status line, the command line and the syntax line take three.
  const outputRows = Math.max(1, innerHeight(height) - 3);
  const lines = snapshot.lines;
  const end = lines.length - state.scroll;
  const visible = lines.slice(Math.max(0, end - outputRows), end);
  useConsoleKeys({ focused, feed, source, page: Math.max(1, outputRows - 1) });

  const status = statusText(snapshot);
  const subscriptions = snapshot.subscriptions.map((s) => (s.qos === 0 ? s.topic : `${s.topic} (q${s.qos})`)).join(', ');
  const note = state.scroll > 0 ? `${state.scroll} lines back · End follows` : `${lines.length} lines`;

  return (
    <PaneFrame number={1} title="Console" note={note} width={width} height={height} focused={focused}>
      <Text wrap="truncate-end">
        <Text color={status.color}>{status.text}</Text>
        <Text dimColor> · {snapshot.url} · </Text>
        {subscriptions ? <Text>subscribed: {printable(subscriptions)}</Text> : <Text dimColor>no subscriptions</Text>}
      </Text>
      <Box flexDirection="column" height={outputRows}>
        {visible.length === 0 ? (
          <Text dimColor wrap="truncate-end">
            Try: SUBSCRIBE lab/# then PUBLISH lab/x 42
          </Text>
        ) : (
          visible.map((line, index) => <OutputLine key={end - visible.length + index} line={line} />)
        )}
      </Box>
      <Text wrap="truncate-end">
        {'> '}
        <TextField value={state.text} width={contentWidth - 2} active={focused && inField} />
      </Text>
      <Text wrap="truncate-end" dimColor>
        {focused && !inField ? 'Enter or i: type a command · ' : ''}
        {SYNTAX_LINE}
      </Text>
    </PaneFrame>
  );
}
