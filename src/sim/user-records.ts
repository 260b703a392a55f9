import type { MqttClient } from 'mqtt';
import { topics, userRecord, type UserRecord } from '../wire/index.js';

export interface UserRecordListener {
  /** A record on smart_home/user_data: registered, changed or deleted. */
  registered(record: UserRecord): void;
  /** A record on smart_home/presence_data: someone passed the door (or was deleted). */
  passed(record: UserRecord): void;
}

/**
 * What the door locker and the thermostat both hear: the thermostat app's user records on its
 * two topics. A record that does not parse changes nothing (the log says why: the broker checks
 * every payload on the way in, and the view does with an outside broker).
 */
export async function listenToUserRecords(
  client: MqttClient,
  listener: UserRecordListener,
): Promise<void> {
  client.on('message', (topic, payload) => {
    if (payload.length === 0 || (topic !== topics.userData && topic !== topics.presenceData)) return;
    const parsed = userRecord.parse(payload);
    if (!parsed.ok) return;
    if (topic === topics.userData) listener.registered(parsed.value);
    else listener.passed(parsed.value);
  });
  await client.subscribeAsync([topics.userData, topics.presenceData], { qos: 0 });
}
