import { Text } from 'ink';
import { useEffect, useState } from 'react';
import type { TopicDetail, TopicSource, TrafficEntry } from '../../../wire/index.js';
import { useNow } from '../../clock.js';
import { detailParts, fitDetail } from '../../screens/topics/topic-lines.js';

export interface OpenedMessageProps {
  entry: TrafficEntry;
  topics: TopicSource | undefined;
  width: number;
  rows: number;
}

/** The message of one log line, whole: the entry names it, the topic index still holds it. */
export function OpenedMessage({ entry, topics, width, rows }: OpenedMessageProps) {
  const [found, setFound] = useState<TopicDetail | null | undefined>(undefined);
  const now = useNow(1_000, true);
  useEffect(() => {
    let live = true;
    setFound(undefined);
    if (!topics || entry.topic === undefined) setFound(null);
    else void topics.lookup(entry.topic).then((detail) => live && setFound(detail ? messageOf(detail, entry) : null));
    return () => {
      live = false;
    };
  }, [topics, entry]);
  if (found === undefined) return <Text dimColor>opening…</Text>;
  if (found === null) {
    return <Text color="yellow">{topics ? 'the topic index no longer holds this message (Esc closes)' : 'opening a message needs the topic index (Esc closes)'}</Text>;
  }
  const lines = fitDetail(detailParts(found, width, now, 0, topics?.embedded ?? false), rows, 0);
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" bold={i === 0}>
          {line}
        </Text>
      ))}
    </>
  );
}

/** The topic's detail as of the entry's message: that message last, the ones before it as its history; null when it is gone. */
function messageOf(detail: TopicDetail, entry: TrafficEntry): TopicDetail | null {
  let best = -1;
  for (let i = 0; i < detail.history.length; i++) {
    const message = detail.history[i]!;
    if (entry.size !== undefined && message.size !== entry.size) continue;
    if (best < 0 || Math.abs(message.time - entry.time) < Math.abs(detail.history[best]!.time - entry.time)) best = i;
  }
  if (best < 0) return null;
  return { ...detail, last: detail.history[best]!, history: detail.history.slice(0, best + 1) };
}
