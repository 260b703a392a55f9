/** The Home Assistant flags: `--ha-prefix P` and `--no-ha`, with their environment variables. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_HA_PREFIX, isHaPrefix } from './wire/ha-prefix.js';
import type { Config } from './config.js';

function parsePrefix(value: string): string {
  if (!isHaPrefix(value)) {
    throw new InvalidArgumentError(`--ha-prefix must be topic levels without + or # and no leading or trailing /, such as homeassistant, not "${value}".`);
  }
  return value;
}

export function addHomeAssistantOptions(program: Command, envPrefix: string): void {
  program
    .addOption(
      new Option('--ha-prefix <prefix>', "Home Assistant's MQTT discovery prefix")
        .default(DEFAULT_HA_PREFIX)
        .env(`${envPrefix}HA_PREFIX`)
        .argParser(parsePrefix),
    )
    .addOption(new Option('--no-ha', `do not announce the home to Home Assistant (env ${envPrefix}HA=0)`));
}

/**
 * The Home Assistant part of the config, or a sentence saying what is wrong. `envFlag` reads a
 * boolean environment variable the way every other flag does.
 */
export function homeAssistantConfig(
  program: Command,
  envFlag: (name: string) => boolean | undefined,
  envPrefix: string,
): { homeAssistant?: Config['homeAssistant']; problem?: string } {
  const off = program.getOptionValueSource('ha') === 'cli' || envFlag(`${envPrefix}HA`) === false;
  const prefix = program.getOptionValue('haPrefix') as string;
  if (off) {
    const given = program.getOptionValueSource('haPrefix');
    return given === 'cli' || given === 'env' ? { problem: '--ha-prefix has no use with --no-ha; give one of them.' } : {};
  }
  return { homeAssistant: { prefix } };
}
