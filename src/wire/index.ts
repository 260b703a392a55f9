/**
 * The home's wire format, the ground floor of the program: every topic string, topic filters
 * and matching, one codec (parse + validate + encode) per payload, the payload check, previews
 * and escaping, and the traffic-log entry. It imports nothing of the program; everything else
 * may import it. Shapes follow the original Python apps so their clients work unchanged.
 */
export * from './codec.js';
export * from './ranges.js';
export * from './topics.js';
export * from './topic-filter.js';
export * from './thermostat.js';
export * from './course.js';
export * from './accounts.js';
export * from './challenge.js';
export * from './carpark.js';
export * from './check.js';
export * from './preview.js';
export * from './traffic.js';
export * from './home-assistant.js';
export * from './topic-view.js';
export * from './recording.js';
