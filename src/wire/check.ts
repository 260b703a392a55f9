/** Checking any payload by its topic: the one check the broker, the view and the devices share. */
import type { Codec } from './codec.js';
import { matchTopic, type KnownTopic } from './topics.js';
import { controllerState, deviceDescriptor, deviceEvent, rawTemperature, switchAction, switchMessage, temperatureMessage } from './course.js';
import { thermostatState, userRecord, userRoster } from './thermostat.js';
import { challengeMessage, challengeReply, loginRequest, loginUuid } from './challenge.js';
import { carparkDisplay, carparkRefusal, carPassage } from './carpark.js';
import { setpointText, thermostatMode } from './home-assistant.js';

const codecOf: { [K in KnownTopic['kind']]: Codec<unknown> } = {
  'user-data': userRecord,
  'presence-data': userRecord,
  'thermostat-state': thermostatState,
  'user-roster': userRoster,
  'sensor-temperature': rawTemperature,
  'device-temperature': temperatureMessage,
  'device-info': deviceDescriptor,
  'device-sensor-temperature': temperatureMessage,
  'switch-telemetry': switchMessage,
  'temperature-telemetry': temperatureMessage,
  event: deviceEvent,
  'switch-action': switchAction,
  controller: controllerState,
  login: loginRequest,
  'login-uuid': loginUuid,
  challenge: challengeMessage,
  'challenge-reply': challengeReply,
  'carpark-entry': carPassage,
  'carpark-exit': carPassage,
  'carpark-display': carparkDisplay,
  'carpark-refused': carparkRefusal,
  'thermostat-default-setpoint': setpointText,
  'thermostat-mode': thermostatMode,
  'ha-target-command': setpointText,
  'ha-mode-command': thermostatMode,
};

/**
 * Why this payload is wrong for this topic, or null when it is fine or the topic is not one of
 * the home's. An empty payload on a known topic is fine: it is how MQTT clears a retained one.
 */
export function checkPayload(topic: string, payload: Buffer | Uint8Array | string): string | null {
  const known = matchTopic(topic);
  if (known === null) return null;
  if (payload.length === 0) return null;
  const result = codecOf[known.kind].parse(payload);
  return result.ok ? null : result.reason;
}
