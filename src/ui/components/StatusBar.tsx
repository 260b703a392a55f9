import { Box, Text } from 'ink';
import type { HomeView, HomeViewSource } from '../../sim/view-types.js';
import { useSlice } from '../feed.js';
import { printable } from '../printable.js';

const brokerOf = (view: HomeView) => view.broker;

/** One line: where the broker is, whether we are connected, how busy it is, where data lives. */
export function StatusBar({ home, width }: { home: HomeViewSource; width: number }) {
  const broker = useSlice(home, brokerOf);
  const rate = broker.messagesPerSecond >= 10 ? broker.messagesPerSecond.toFixed(0) : broker.messagesPerSecond.toFixed(1);
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold>{printable(broker.url)}</Text>
        {'  '}
        {broker.connected ? (
          <Text color="green">● connected</Text>
        ) : (
          <Text color="red">○ {printable(broker.problem ?? 'not connected')}</Text>
        )}
        {'  '}
        {broker.clients === null ? 'clients: n/a with --broker' : `${broker.clients} ${broker.clients === 1 ? 'client' : 'clients'}`}
        {'  '}
        {rate} msg/s
        {'  '}
        {broker.scenario === undefined ? null : (
          <>
            <Text color={broker.scenario.includes('FAILED') ? 'red' : 'yellow'}>{printable(broker.scenario)}</Text>
            {'  '}
          </>
        )}
        <Text dimColor>data {printable(broker.dataFile)}</Text>
      </Text>
    </Box>
  );
}
