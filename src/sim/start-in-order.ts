/** A device or app of the home: one MQTT client that starts and stops. */
export interface Part {
  clientId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the parts one after another; if one fails, those already started are stopped again.
 * Resolves to the way to stop them all, in reverse order.
 */
export async function startInOrder(parts: readonly Part[]): Promise<() => Promise<void>> {
  const started: Part[] = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
    started.length = 0;
  };
  try {
    for (const part of parts) {
      await part.start();
      started.push(part);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

/**
 * Starts independent parts all at once (each its own MQTT client, so none waits for another's
 * handshake); if one fails, those that started are stopped again and the first failure is thrown.
 * Resolves to the parts in the order given.
 */
export async function startTogether<T extends { stop(): Promise<void> }>(starts: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(starts.map((start) => start()));
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    throw failed.reason;
  }
  return started;
}
