/** Home Assistant's default discovery prefix. */
export const DEFAULT_HA_PREFIX = 'homeassistant';

/** A prefix HA accepts: topic levels without wildcards, no leading or trailing slash. */
export function isHaPrefix(prefix: string): boolean {
  return /^[^/+#\u0000-\u001f\u007f-\u009f]+(\/[^/+#\u0000-\u001f\u007f-\u009f]+)*$/.test(prefix);
}
