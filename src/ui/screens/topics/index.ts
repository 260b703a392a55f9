/** The Topics screen: the broker's topic index through a TopicSource, and its own client to publish and delete. */
import { createElement } from 'react';
import type { TopicSource } from '../../../wire/index.js';
import type { RunningScreen, ScreenContext, ScreenProps } from '../../screens.js';
import { TopicsLink } from './topics-link.js';
import { TopicsScreen } from './TopicsScreen.js';

export interface TopicsScreenOptions extends ScreenContext {
  topics: TopicSource;
  clientId?: string;
}

/** Connects the screen's client (a refused connection rejects with a HomeError) and returns the screen. */
export async function startTopicsScreen(ctx: TopicsScreenOptions): Promise<RunningScreen> {
  const link = new TopicsLink({ url: ctx.url, login: ctx.login, saveDir: ctx.saveDir, clientId: ctx.clientId });
  await link.start();
  const source = ctx.topics;
  const Component = (props: ScreenProps) => createElement(TopicsScreen, { ...props, source, link });
  return {
    screen: { id: 'topics', title: 'Topics', Component },
    stop: async () => {
      source.watch(null);
      await link.stop();
    },
  };
}
