import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../src/ui/screens/console/command.js';
import { consoleInputReducer, initialConsoleInput, type ConsoleInput } from '../src/ui/screens/console/console-state.js';

const command = (line: string) => {
  const parsed = parseConsoleLine(line);
  if (!parsed.ok) throw new Error(`expected ${line} to parse: ${parsed.error}`);
  return parsed.command;
};
const error = (line: string) => {
  const parsed = parseConsoleLine(line);
  if (parsed.ok) throw new Error(`expected ${line} to be refused`);
  return parsed.error;
};

describe('console commands', () => {
  it('PUBLISH takes a topic and the rest of the line as the value, QoS 0 and not retained by default', () => {
    expect(command('PUBLISH lab/x 42')).toEqual({ kind: 'publish', topic: 'lab/x', value: '42', qos: 0, retain: false });
    expect(command('PUBLISH  lab/msg  hello   big world ')).toEqual({ kind: 'publish', topic: 'lab/msg', value: 'hello   big world', qos: 0, retain: false });
    expect(command('PUBLISH smart_home/user_data {"a": "1"}')).toMatchObject({ value: '{"a": "1"}' });
  });

  it('PUBLISH takes -q and -r before the topic, in any order', () => {
    expect(command('PUBLISH -q 2 -r lab/x 42')).toEqual({ kind: 'publish', topic: 'lab/x', value: '42', qos: 2, retain: true });
    expect(command('publish -r -q 1 lab/x on')).toEqual({ kind: 'publish', topic: 'lab/x', value: 'on', qos: 1, retain: true });
    expect(command('PUBLISH --qos 1 --retain lab/x on')).toMatchObject({ qos: 1, retain: true });
    // After the topic, -r is part of the value.
    expect(command('PUBLISH lab/x -r')).toMatchObject({ value: '-r', retain: false });
  });

  it('SUBSCRIBE takes a filter and an optional QoS', () => {
    expect(command('SUBSCRIBE lab/#')).toEqual({ kind: 'subscribe', topic: 'lab/#', qos: 0 });
    expect(command('subscribe device/+/info 1')).toEqual({ kind: 'subscribe', topic: 'device/+/info', qos: 1 });
  });

  it('UNSUBSCRIBE, CONNECT and DISCONNECT', () => {
    expect(command('UNSUBSCRIBE lab/#')).toEqual({ kind: 'unsubscribe', topic: 'lab/#' });
    expect(command('connect')).toEqual({ kind: 'connect', version: 4 });
    expect(command('  Disconnect ')).toEqual({ kind: 'disconnect' });
  });

  it('CONNECT -V 5 asks for MQTT 5, -V 311 for 3.1.1; PUBLISH -u adds MQTT 5 user properties', () => {
    expect(command('CONNECT -V 5')).toEqual({ kind: 'connect', version: 5 });
    expect(command('connect -V mqttv5')).toEqual({ kind: 'connect', version: 5 });
    expect(command('CONNECT -V 311')).toEqual({ kind: 'connect', version: 4 });
    expect(command('PUBLISH -u room=hall -u tag=a -u tag=b=c lab/x on')).toEqual({
      kind: 'publish', topic: 'lab/x', value: 'on', qos: 0, retain: false, userProperties: { room: 'hall', tag: ['a', 'b=c'] },
    });
  });

  it('command words are case-insensitive; topics and values are kept as typed', () => {
    for (const word of ['publish', 'Publish', 'pUbLiSh']) {
      expect(command(`${word} Lab/X Hello`)).toEqual({ kind: 'publish', topic: 'Lab/X', value: 'Hello', qos: 0, retain: false });
    }
    expect(command('SuBsCrIbE Lab/#')).toMatchObject({ topic: 'Lab/#' });
    expect(command('unsubscribe Lab/#')).toMatchObject({ kind: 'unsubscribe' });
  });

  it('says in one line what each command expects', () => {
    expect(error('PUBLISH')).toBe('PUBLISH needs a topic and a value: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH lab/x')).toBe('PUBLISH needs a topic and a value: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH -q 3 lab/x 1')).toBe('-q takes a QoS of 0, 1 or 2: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH -q')).toBe('-q takes a QoS of 0, 1 or 2: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH -x lab/x 1')).toBe('PUBLISH knows the options -q, -r and -u, not -x: PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH lab/# 1')).toBe('A PUBLISH topic cannot hold + or # (those are for SUBSCRIBE): PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('PUBLISH -u novalue lab/x 1')).toBe('-u takes a user property as name=value (MQTT 5): PUBLISH [-q 0|1|2] [-r] [-u name=value] <topic> <value...>');
    expect(error('SUBSCRIBE')).toBe('SUBSCRIBE needs a topic: SUBSCRIBE <topic> [qos]');
    expect(error('SUBSCRIBE lab/x 5')).toBe('SUBSCRIBE takes a QoS of 0, 1 or 2 after the topic: SUBSCRIBE <topic> [qos]');
    expect(error('SUBSCRIBE lab/x 1 2')).toBe('SUBSCRIBE takes a QoS of 0, 1 or 2 after the topic: SUBSCRIBE <topic> [qos]');
    expect(error('SUBSCRIBE lab/#/x')).toBe('Not a topic filter (# may only stand alone as the last level): SUBSCRIBE <topic> [qos]');
    expect(error('UNSUBSCRIBE')).toBe('UNSUBSCRIBE needs one topic: UNSUBSCRIBE <topic>');
    expect(error('UNSUBSCRIBE a b')).toBe('UNSUBSCRIBE needs one topic: UNSUBSCRIBE <topic>');
    expect(error('UNSUBSCRIBE a+')).toBe('Not a topic filter (+ must stand alone as a whole level): UNSUBSCRIBE <topic>');
    expect(error('CONNECT now')).toBe('CONNECT takes only a protocol version, -V 5 (MQTT 5) or -V 311 (MQTT 3.1.1): CONNECT [-V 5|311]');
    expect(error('CONNECT -V 4.2')).toBe('CONNECT takes only a protocol version, -V 5 (MQTT 5) or -V 311 (MQTT 3.1.1): CONNECT [-V 5|311]');
    expect(error('DISCONNECT please')).toBe('DISCONNECT takes nothing after it: DISCONNECT');
    expect(error('SEND lab/x 1')).toBe('Unknown command SEND; use PUBLISH, SUBSCRIBE, UNSUBSCRIBE, CONNECT or DISCONNECT.');
    expect(error('   ')).toBe('Type a command: PUBLISH, SUBSCRIBE, UNSUBSCRIBE, CONNECT or DISCONNECT.');
  });
});

describe('console command line', () => {
  const run = (state: ConsoleInput, ...actions: Parameters<typeof consoleInputReducer>[1][]) => actions.reduce(consoleInputReducer, state);
  const typed = (state: ConsoleInput, text: string) => run(consoleInputReducer(state, { type: 'type', text }), { type: 'sent' });

  it('keeps sent lines in history; ↑ and ↓ walk it and come back to the draft', () => {
    let state = typed(typed(initialConsoleInput, 'SUBSCRIBE lab/#'), 'PUBLISH lab/x 1');
    state = typed(state, 'PUBLISH lab/x 1');
    expect(state.history).toEqual(['SUBSCRIBE lab/#', 'PUBLISH lab/x 1']);
    state = run(state, { type: 'type', text: 'PUB' }, { type: 'older' });
    expect(state.text).toBe('PUBLISH lab/x 1');
    state = run(state, { type: 'older' }, { type: 'older' });
    expect(state.text).toBe('SUBSCRIBE lab/#');
    state = run(state, { type: 'newer' });
    expect(state.text).toBe('PUBLISH lab/x 1');
    state = run(state, { type: 'newer' });
    expect(state.text).toBe('PUB');
    expect(state.browsing).toBeNull();
  });

  it('Esc leaves the line with what was typed; Enter or i comes back to it', () => {
    const state = run(initialConsoleInput, { type: 'type', text: 'PUBLISH q' }, { type: 'leave' });
    expect(state).toMatchObject({ inField: false, text: 'PUBLISH q' });
    expect(consoleInputReducer(state, { type: 'enter' })).toMatchObject({ inField: true, text: 'PUBLISH q' });
  });

  it('scrolls back no further than the output goes', () => {
    const state = run(initialConsoleInput, { type: 'scroll', by: 8, lines: 5 });
    expect(state.scroll).toBe(4);
    expect(run(state, { type: 'scroll', by: -20, lines: 5 }).scroll).toBe(0);
  });
});
