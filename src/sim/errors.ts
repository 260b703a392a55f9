/** A problem a person caused (a bad name, an unknown user, an unreachable broker); `message` is for them. */
export class HomeError extends Error {
  override readonly name = 'HomeError';
}
