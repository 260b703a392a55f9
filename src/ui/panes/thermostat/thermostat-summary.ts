import type { ThermostatView } from '../../../sim/view-types.js';
import { celsius } from '../../clock.js';
import { printable } from '../../printable.js';
import { scaleOf, sparkline } from '../../sparkline.js';

export interface ThermostatSummary {
  setpoint: string;
  forWhom: string;
  queue: string;
  room: string;
  heating: boolean;
  /** Room temperature and setpoint over the history, drawn on one scale so they compare. */
  roomLine: string;
  setpointLine: string;
  /** The scale of both lines, "19.5–22.0 °C". */
  range: string;
  seen: boolean;
}

export function summarizeThermostat(thermostat: ThermostatView, sparkWidth: number): ThermostatSummary {
  const rooms = thermostat.history.map((sample) => sample.room);
  const setpoints = thermostat.history.map((sample) => sample.setpoint);
  const scale = scaleOf(rooms.slice(-sparkWidth), setpoints.slice(-sparkWidth));
  return {
    setpoint: thermostat.setpoint.toFixed(1),
    forWhom: thermostat.forUser ? `for ${printable(thermostat.forUser)}` : 'nobody home: default',
    queue:
      thermostat.queue.length === 0
        ? 'queue empty'
        : `queue ${thermostat.queue.map((name, index) => `${index + 1} ${printable(name)}`).join(' · ')}`,
    room: `room ${celsius(thermostat.roomTemperature)}`,
    heating: thermostat.heating,
    roomLine: sparkline(rooms, sparkWidth, scale),
    setpointLine: sparkline(setpoints, sparkWidth, scale),
    range: rooms.length === 0 ? '' : `${scale.min.toFixed(1)}–${scale.max.toFixed(1)} °C`,
    seen: thermostat.updatedAt > 0,
  };
}
