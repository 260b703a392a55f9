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
