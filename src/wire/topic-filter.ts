/** MQTT topic filters: whether one is valid, whether it matches a topic, whether one covers another. */

/** Why `filter` is not a valid MQTT topic filter, or undefined when it is. */
export function filterProblem(filter: string): string | undefined {
  if (filter === '') return 'the topic is empty';
  if (filter.includes('\u0000')) return 'the topic contains a NUL character';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# may only stand alone as the last level';
    }
    if (level.includes('+') && level !== '+') return '+ must stand alone as a whole level';
  }
  return undefined;
}

/** Whether the concrete `topic` is one of the topics `filter` matches (MQTT 3.1.1 section 4.7). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Wildcards at the first level never match topics starting with $ (MQTT-4.7.2-1).
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether every topic `filter` can match is also matched by `grant`: the test for wildcard subscriptions. */
export function filterCovers(grant: string, filter: string): boolean {
  const g = grant.split('/');
  const f = filter.split('/');
  const dollar = filter.startsWith('$');
  for (let i = 0; ; i++) {
    const gl = g[i];
    const fl = f[i];
    if (gl === '#') return !(i === 0 && dollar);
    // The filter ended: it matches exactly this many levels, and so must the grant.
    if (fl === undefined) return gl === undefined;
    if (gl === undefined) return false;
    if (fl === '#') return false;
    if (fl === '+') {
      if (gl !== '+') return false;
    } else if (gl === '+') {
      if (i === 0 && dollar) return false;
    } else if (gl !== fl) {
      return false;
    }
  }
}
