import type { TopicQuery } from '../../src/wire/index.js';

/** A Topics screen's question to the index: the whole tree, nothing unfolded, 20 rows; `over` changes parts. */
export const query = (over: Partial<TopicQuery> = {}): TopicQuery => ({
  filter: '',
  search: '',
  retainedOnly: false,
  expanded: [],
  offset: 0,
  rows: 20,
  selected: null,
  history: 10,
  clients: false,
  ...over,
});
