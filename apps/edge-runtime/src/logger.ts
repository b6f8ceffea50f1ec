import { pino, type Logger } from 'pino';

/**
 * JSON logs (pino). Request lines carry a request id, route, status, latency, model and version —
 * never pixels or DICOM attribute values: nothing of an input is logged but its size and type.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino({ name: 'cvf-edge', level: options.level ?? 'info', base: { pid: process.pid } }, options.destination ?? pino.destination(1));
}

export type { Logger };
