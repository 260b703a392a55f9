/**
 * Where the Topics screen and the Broker log's detail view get topics from: the embedded
 * broker's own index (publishers, clients, queues), or what a '#' subscription to an outside
 * broker hears.
 */
import type { BrokerHandle } from './broker/embedded.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from './sim/connection.js';
import { LocalTopics } from './broker/local-topics.js';
import type { TopicQuery, TopicSource, TopicView } from './wire/topic-view.js';

/** The embedded broker's topic index as the UI reaches it; `follow` moves it to a restarted broker. */
export function embeddedTopics(first: BrokerHandle): TopicSource & { follow(broker: BrokerHandle): void } {
  let broker = first;
  let query: TopicQuery | null = null;
  const listeners = new Set<(view: TopicView) => void>();
  const attach = () => broker.topics.onView((view) => listeners.forEach((cb) => cb(view)));
  let detach = attach();
  return {
    embedded: true,
    watch: (next) => {
      query = next;
      broker.topics.watch(next);
    },
    onView: (cb) => {
      listeners.add(cb);
      return () => void listeners.delete(cb);
    },
    lookup: (topic) => broker.topics.lookup(topic),
    disconnect: (clientId) => broker.topics.disconnect(clientId),
    follow(next) {
      detach();
      broker = next;
      detach = attach();
      broker.topics.watch(query);
    },
  };
}

/** An outside broker's topics, from what a '#' subscription hears. */
export async function outsideTopics(url: string, login: Login | undefined, cleanups: Array<() => Promise<void>>): Promise<TopicSource> {
  const topics = new LocalTopics();
  const client = await openConnection(url, uniqueClientId('topics'), login);
  cleanups.push(async () => {
    topics.close();
    await closeConnection(client);
  });
  client.on('message', (topic, payload, packet) => topics.heard(topic, payload, packet.qos, packet.retain));
  await client.subscribeAsync('#', { qos: 0 });
  return topics;
}
