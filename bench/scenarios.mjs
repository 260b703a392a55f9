// The reference scenarios of the mqtt-load tool. count is messages per publisher. The v5 rows
// run the same load with MQTT 5 clients (bench/mqtt5-load.mjs; mqtt-load speaks only 3.1.1).

/** @typedef {{ id: string, title: string, args: string[], count: number, latency?: boolean, protocol?: 5 }} Scenario */

/** @type {Scenario[]} */
export const scenarios = [
  { id: 'S1', title: 'fan-in QoS0, 4 pubs -> 1 sub', args: ['--pubs', '4', '--subs', '1', '--qos', '0', '--size', '64'], count: 100_000 },
  { id: 'S2', title: 'fan-out QoS0, 1 pub -> 10 subs', args: ['--pubs', '1', '--subs', '10', '--qos', '0', '--size', '64'], count: 50_000 },
  {
    id: 'S3',
    title: 'fan-in QoS1, 4 pubs -> 1 sub, inflight 64',
    args: ['--pubs', '4', '--subs', '1', '--qos', '1', '--size', '64', '--inflight', '64'],
    count: 25_000,
  },
  {
    id: 'S4',
    title: 'latency, 1 pub -> 1 sub at 5000 msg/s',
    args: ['--pubs', '1', '--subs', '1', '--qos', '0', '--size', '64', '--rate', '5000'],
    count: 25_000,
    latency: true,
  },
  {
    id: 'S5',
    title: 'fleet, 1 pub -> 1000 subs on their own topics',
    args: ['--pubs', '1', '--subs', '1000', '--fanout-topic', '--topic-fmt', 'device/%d/telemetry', '--qos', '0', '--size', '64'],
    count: 10_000,
  },
];

// S1-S4 again with MQTT 5 clients; S5's thousand connections are left to the C tool.
scenarios.push(
  ...scenarios
    .filter((s) => ['S1', 'S2', 'S3', 'S4'].includes(s.id))
    .map((s) => ({ ...s, id: `${s.id}v5`, title: `${s.title}, MQTT 5`, protocol: /** @type {5} */ (5) })),
);

/** Counts for one run: --quick divides by 10; the warm-up of a fresh broker is a tenth, at least 1000. */
export function countsFor(scenario, quick) {
  const count = quick ? Math.max(1, Math.floor(scenario.count / 10)) : scenario.count;
  return { count, warmup: Math.max(1000, Math.floor(count / 10)) };
}
