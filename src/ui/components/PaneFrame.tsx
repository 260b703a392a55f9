import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { fit } from '../printable.js';

export interface PaneFrameProps {
  number: number;
  title: string;
  /** Short state shown at the right of the top border ("paused, 3 new"). */
  note?: string;
  width: number;
  height: number;
  focused: boolean;
  children: ReactNode;
}

/** A rounded border with the pane's number and title in its top edge. */
export function PaneFrame({ number, title, note, width, height, focused, children }: PaneFrameProps) {
  const color = focused ? 'cyan' : 'gray';
  const label = ` ${number} ${title} `;
  const right = note ? ` ${note} ` : '';
  const noteText = label.length + right.length + 4 <= width ? right : '';
  const dashes = Math.max(0, width - 4 - label.length - noteText.length);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text color={color}>╭─</Text>
        <Text bold={focused} color={focused ? 'cyan' : undefined}>
          {fit(label, Math.min(label.length, width - 4))}
        </Text>
        <Text color={color}>{'─'.repeat(dashes)}</Text>
        {noteText ? <Text color="yellow">{noteText}</Text> : null}
        <Text color={color}>─╮</Text>
      </Text>
      <Box
        borderStyle="round"
        borderTop={false}
        borderColor={color}
        width={width}
        height={height - 1}
        flexDirection="column"
        paddingX={1}
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
