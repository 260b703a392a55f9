/** The fleet flags: `--fleet N`, `--fleet-via connections|gateway`, `--fleet-part i/k`, with their environment variables. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Config } from './config.js';
import type { FleetPart, FleetVia } from './sim/fleet-plan.js';

export const MAX_FLEET = 100_000;

function parseFleet(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count > MAX_FLEET) {
    throw new InvalidArgumentError(`--fleet must be a number of smart objects from 0 to ${MAX_FLEET}, not "${value}".`);
  }
  return count;
}

function parseVia(value: string): FleetVia {
  if (value !== 'connections' && value !== 'gateway') {
    throw new InvalidArgumentError(`--fleet-via must be connections (each object its own client) or gateway (many behind a few clients), not "${value}".`);
  }
  return value;
}

function parsePart(value: string): FleetPart {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const of = Number(match?.[2]);
  if (!match || of < 1 || index < 1 || index > of) {
    throw new InvalidArgumentError(`--fleet-part must be i/k with 1 <= i <= k, such as 2/4 for the second of four machines, not "${value}".`);
  }
  return { index, of };
}

export function addFleetOptions(program: Command, envPrefix: string): void {
  program
    .addOption(
      new Option('--fleet <n>', `also run N simulated smart objects (fleet00001...) at 1 Hz, each its own MQTT client (up to ${MAX_FLEET})`)
        .env(`${envPrefix}FLEET`)
        .argParser(parseFleet),
    )
    .addOption(
      new Option('--fleet-via <how>', 'connections: each fleet object its own client; gateway: a thousand objects behind each gateway client')
        .env(`${envPrefix}FLEET_VIA`)
        .argParser(parseVia),
    )
    .addOption(
      new Option('--fleet-part <i/k>', 'run only part i of k of the fleet (disjoint ids), one part per machine, with --broker')
        .env(`${envPrefix}FLEET_PART`)
        .argParser(parsePart),
    );
}

/** The fleet part of the config, or a sentence saying what is wrong. */
export function fleetConfig(program: Command, brokerUrl: string | undefined): { fleet?: Pick<Config, 'fleet' | 'fleetVia' | 'fleetPart'>; problem?: string } {
  const count = program.getOptionValue('fleet') as number | undefined;
  const via = program.getOptionValue('fleetVia') as FleetVia | undefined;
  const part = program.getOptionValue('fleetPart') as FleetPart | undefined;
  if (!count) {
    if (via) return { problem: '--fleet-via has no use without --fleet N.' };
    if (part) return { problem: '--fleet-part has no use without --fleet N.' };
    return {};
  }
  if (part && !brokerUrl) {
    return { problem: '--fleet-part splits a fleet over machines that share one broker; give that broker with --broker URL.' };
  }
  return { fleet: { fleet: count, ...(via ? { fleetVia: via } : {}), ...(part ? { fleetPart: part } : {}) } };
}
