import { Box, Text } from 'ink';
import type { PacketLine } from '../../../sim/challenge/solver.js';
import { challengeAnswers, CHALLENGE_DONE, type ChallengeCommand } from '../../../wire/index.js';
import { clockTime } from '../../clock.js';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerHeight, innerWidth } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import { useFeed, type Feed } from '../../feed.js';
import { runProgress, shownRun, type ChallengeAction, type ChallengeBoard, type ChallengeRunView, type SolverStatus } from './challenge-state.js';
import { useChallengeKeys } from './use-challenge-keys.js';

export interface ChallengeScreenProps {
  width: number;
  height: number;
  focused: boolean;
  board: Feed<ChallengeBoard, ChallengeAction>;
  /** Starts one run of the built-in solver (ignored while one runs). */
  runSolver: () => void;
}

const LIST_WIDTH = 30;

/** The UUID in a topic, cut to its first block so a handshake line fits. */
function shortTopic(topic: string): string {
  return topic.replace(/^([0-9a-f]{8})-[0-9a-f-]{27}/i, '$1…');
}

export function handshakeText(packet: PacketLine): string {
  const arrow = packet.direction === 'sent' ? '→' : '←';
  const parts = [`${arrow} ${packet.type.padEnd(9)}`];
  if (packet.messageId !== undefined) parts.push(`id ${packet.messageId}`);
  if (packet.qos !== undefined) parts.push(`q${packet.qos}`);
  if (packet.topic !== undefined) parts.push(printable(shortTopic(packet.topic)));
  if (packet.payload !== undefined) parts.push(`"${packet.payload}"`);
  return parts.join(' ');
}

function solverLine(solver: SolverStatus): { text: string; color?: string } {
  switch (solver.state) {
    case 'idle':
      return { text: 's: run the built-in solver' };
    case 'running':
      return { text: `solver ${solver.clientId} running…`, color: 'yellow' };
    case 'done':
      return { text: `solver ${solver.clientId}: ${CHALLENGE_DONE}  (s: again)`, color: 'green' };
    case 'failed':
      return { text: `solver: ${solver.reason}  (s: again)`, color: 'red' };
  }
}

function RunDetail({ run, width, rows }: { run: ChallengeRunView | undefined; width: number; rows: number }) {
  if (run === undefined) {
    return (
      <Box flexDirection="column" width={width}>
        <Text wrap="truncate-end" dimColor>
          No run yet. Press s, or publish a client id to `login`.
        </Text>
      </Box>
    );
  }
  const lines: Array<{ text: string; color?: string }> = [
    { text: `client ${printable(run.clientId)}${run.bySolver ? ' (built-in solver)' : ' (outside client)'}` },
    { text: `UUID   ${run.uuid ?? '… waiting'}` },
  ];
  // A command asked twice is one line; its reply count says how often it was answered.
  const asked = new Set(run.commands);
  for (const command of asked) {
    const reply = run.replies[command];
    if (reply === undefined) lines.push({ text: `${command} → …`, color: 'yellow' });
    else if (reply.right) {
      lines.push({ text: `${command} → ${printable(reply.word)} ✓${reply.times > 1 ? ` ×${reply.times}` : ''}`, color: 'green' });
      // Corrected mistakes stay in red below the right word.
      if (reply.wrong.length > 0) lines.push({ text: `  ✗ before: ${reply.wrong.map(printable).join(', ')} (not counted)`, color: 'red' });
    } else lines.push({ text: `${command} → ${printable(reply.wrong.join(', '))} ✗ wants ${challengeAnswers[command]}`, color: 'red' });
  }
  // Replies to commands the service never asked do not count; they show, in red.
  for (const [command, reply] of Object.entries(run.replies)) {
    if (asked.has(command as ChallengeCommand) || reply === undefined) continue;
    const words = [...(reply.right ? [reply.word] : []), ...reply.wrong];
    lines.push({ text: `${command} → ${printable(words.join(', '))} ✗ never asked`, color: 'red' });
  }
  if (run.done) lines.push({ text: CHALLENGE_DONE, color: 'green' });
  else if (run.wrongReplies > 0) lines.push({ text: `${run.wrongReplies} wrong ${run.wrongReplies === 1 ? 'reply' : 'replies'} (not counted)`, color: 'red' });
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(0, rows).map((line, index) => (
        <Text key={index} wrap="truncate-end" color={line.color}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

function RunList({ board, width, rows, focused }: { board: ChallengeBoard; width: number; rows: number; focused: boolean }) {
  const selected = board.selected ?? board.runs.length - 1;
  const start = Math.max(0, Math.min(selected - rows + 1, board.runs.length - rows));
  const visible = board.runs.slice(Math.max(0, start), Math.max(0, start) + rows);
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {visible.map((run, index) => {
        const isSelected = Math.max(0, start) + index === selected;
        const progress = runProgress(run);
        const name = fit(printable(run.clientId), Math.max(4, width - progress.length - 3));
        return (
          <Text key={`${run.at}-${run.clientId}-${index}`} wrap="truncate-end" inverse={isSelected && focused} color={run.done ? 'green' : undefined}>
            {isSelected ? '›' : ' '} {name} {progress}
          </Text>
        );
      })}
    </Box>
  );
}

/** Challenge runs seen on the broker (the built-in solver's and anyone else's) and the solver's QoS 2 packets. */
export function ChallengeScreen({ width, height, focused, board: store, runSolver }: ChallengeScreenProps) {
  const board = useFeed(store);
  useChallengeKeys({ focused, dispatch: store.dispatch, runSolver });

  const runsHeight = Math.max(9, Math.floor(height * 0.55));
  const handshakeHeight = height - runsHeight;
  const runsRows = innerHeight(runsHeight) - 1;
  const contentWidth = innerWidth(width);
  const listWidth = Math.min(LIST_WIDTH, Math.floor(contentWidth / 2));
  const status = solverLine(board.solver);
  const handshakeRows = innerHeight(handshakeHeight);
  const lines = board.handshake.slice(-handshakeRows);
  const count = board.runs.length;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneFrame number={1} title="Login challenge" note={`${count} ${count === 1 ? 'run' : 'runs'} seen`} width={width} height={runsHeight} focused={focused}>
        <Text wrap="truncate-end" color={status.color}>
          {printable(status.text)}
        </Text>
        <Box>
          <RunList board={board} width={listWidth} rows={runsRows} focused={focused} />
          <Box borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderColor="gray" paddingLeft={1}>
            <RunDetail run={shownRun(board)} width={contentWidth - listWidth - 2} rows={runsRows} />
          </Box>
        </Box>
      </PaneFrame>
      <PaneFrame number={2} title="QoS 2 handshake of the solver" width={width} height={handshakeHeight} focused={false}>
        {lines.length === 0 ? (
          <Text dimColor wrap="truncate-end">
            PUBLISH → PUBREC → PUBREL → PUBCOMP: each message at QoS 2 shows here when the solver runs.
          </Text>
        ) : (
          lines.map((line, index) => (
            <Text key={index} wrap="truncate-end" color={line.packet.direction === 'sent' ? 'cyan' : undefined}>
              {clockTime(line.at)} {handshakeText(line.packet)}
            </Text>
          ))
        )}
      </PaneFrame>
    </Box>
  );
}
