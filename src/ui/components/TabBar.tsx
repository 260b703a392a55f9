import { Box, Text } from 'ink';

export interface TabBarProps {
  titles: readonly string[];
  active: number;
  width: number;
}

/** One row naming the screens; the active one is highlighted. `[` and `]` move between them. */
export function TabBar({ titles, active, width }: TabBarProps) {
  if (titles.length < 2) return <Box height={1} flexShrink={0} />;
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end">
        {titles.map((title, index) => (
          <Text key={title}>
            {index > 0 ? <Text dimColor> │ </Text> : null}
            {index === active ? (
              <Text bold inverse>
                {` ${title} `}
              </Text>
            ) : (
              <Text dimColor>{` ${title} `}</Text>
            )}
          </Text>
        ))}
        <Text dimColor>{'   [ ] screens'}</Text>
      </Text>
    </Box>
  );
}
