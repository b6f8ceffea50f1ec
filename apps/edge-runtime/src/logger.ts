import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs (pino). Request lines carry a request id, route, status, latency, model and version —
 * never pixels or DICOM attribute values: nothing of an input is logged.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({ name: 'cvf-edge', level: options.level ?? 'info', base: { pid: process.pid } }, options.destination ?? pino.destination(1));
}

export type { Logger };
