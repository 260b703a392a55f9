// A listener that could not start, and the sentence for it. Its own module, so the main thread
// can recognise the broker thread's failures without loading the broker (aedes, ws).

/** Which listener a setting or a failure is about: the MQTT port or the WebSocket one. */
export type ListenerKey = 'port' | 'wsPort';

export type BrokerErrorCode = 'port-in-use' | 'permission' | 'bad-address';

/**
 * A listener that could not start. The broker knows the listener by key; the sentence that
 * names the flag to change is made by whoever knows the flags (see describeBrokerError).
 */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  constructor(
    readonly code: BrokerErrorCode,
    readonly port: number,
    readonly host: string,
    readonly listener: ListenerKey,
    message?: string,
  ) {
    super(message ?? brokerErrorSentence(code, port, host, listener));
  }
}

/**
 * The sentence a person can act on. `flagOf` names the setting of each listener (the command
 * line's flags); without it the sentence says what is wrong and leaves out how to change it.
 */
export function brokerErrorSentence(
  code: BrokerErrorCode,
  port: number,
  host: string,
  listener: ListenerKey,
  flagOf?: (key: ListenerKey) => string,
): string {
  const flag = flagOf?.(listener);
  const what = listener === 'port' ? 'Port' : 'WebSocket port';
  switch (code) {
    case 'port-in-use': {
      if (flag === undefined) return `${what} ${port} on ${host} is already in use.`;
      const join =
        listener === 'port'
          ? `, or join the broker that is there with --broker mqtt://${host === '127.0.0.1' ? 'localhost' : loopbackName(host)}:${port}`
          : '';
      return `${what} ${port} on ${host} is already in use. Start on another port with ${flag} N${join}.`;
    }
    case 'permission':
      return flag === undefined
        ? `${what} ${port} on ${host} needs administrator rights.`
        : `${what} ${port} on ${host} needs administrator rights. Start on a port above 1023 with ${flag} N.`;
    case 'bad-address':
      if (port < 0 || port > 65535 || !Number.isInteger(port)) {
        return flag === undefined ? `${port} is not a port number.` : `${port} is not a port number. Use ${flag} with a number from 0 to 65535.`;
      }
      return `${host} is not an address of this computer, so the broker cannot listen there. Use --host 127.0.0.1.`;
  }
}

/** The host to put in a URL for a listener bound to `host`: a wildcard bind is reached on loopback. */
export function loopbackName(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
