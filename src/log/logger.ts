import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import { redact, secretValues, type Settings } from '../config/settings.js';

export type { Logger };

/**
 * The worker's structured log: one JSON line per event, with every configured secret value masked. On a terminal
 * (a person running `npm start`) the same lines are printed readable by pino-pretty, after the masking.
 */
export function createLogger(s: Settings, destination: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Logger {
  const secrets = secretValues(s);
  const out = destination.isTTY ? prettyStream(destination) : destination;
  const stream = {
    write(line: string) {
      out.write(secrets.length ? redact(line, secrets) : line);
    },
  };
  return pino(
    {
      level: s.logLevel,
      base: { app: 'termdrift' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'smtpUrl', 'headers.authorization'], censor: '[redacted]' },
    },
    stream,
  );
}

/** pino-pretty, loaded only for a terminal (it is not needed, and not loaded, when the log goes to a file or a pipe). */
function prettyStream(destination: NodeJS.WritableStream): NodeJS.WritableStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as (opts: Record<string, unknown>) => NodeJS.WritableStream;
  return pretty({ destination, sync: true, colorize: destination === process.stdout, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' });
}
