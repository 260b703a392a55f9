/** The two users of the playground's authorized demo, added with `--student` for one run like the student. */
export const PLAYGROUND_ACCOUNTS = [
  { username: 'alice', password: 'alice' },
  { username: 'bob', password: 'bob' },
] as const;
