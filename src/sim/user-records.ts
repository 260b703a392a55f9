import type { MqttClient } from 'mqtt';
import type { BadPayloadReport } from './connection.js';
import { topics, userRecord, type UserRecord } from '../wire/index.js';

export interface UserRecordListener {
  /** A record on smart_home/user_data: registered, changed or deleted. */
  registered(record: UserRecord): void;
  /** A record on smart_home/presence_data: someone passed the door (or was deleted). */
  passed(record: UserRecord): void;
}

/**
 * What the door locker and the thermostat both hear: the thermostat app's user records on its
 * two topics. A record that does not parse is reported and changes nothing.
 */
export async function listenToUserRecords(
  client: MqttClient,
  receivedBy: string,
  listener: UserRecordListener,
  onBadPayload?: (report: BadPayloadReport) => void,
): Promise<void> {
  client.on('message', (topic, payload) => {
    if (payload.length === 0 || (topic !== topics.userData && topic !== topics.presenceData)) return;
    const parsed = userRecord.parse(payload);
    if (!parsed.ok) {
      onBadPayload?.({ topic, reason: parsed.reason, receivedBy, size: payload.length });
      return;
    }
    if (topic === topics.userData) listener.registered(parsed.value);
    else listener.passed(parsed.value);
  });
  await client.subscribeAsync([topics.userData, topics.presenceData], { qos: 0 });
}
