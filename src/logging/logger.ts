import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs on stderr: stdout is left to the debug exporter, whose span output is
 * the product when a user runs Tracehouse in a terminal.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'tracehouse' } }, pino.destination({ fd: 2, sync: true }));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
