import { pino, type Logger } from 'pino';
import { redact, secretValues, type Settings } from '../config/settings.js';

export type { Logger };

/** The worker's structured log: one JSON line per event, with every configured secret value masked. */
export function createLogger(s: Settings, destination: NodeJS.WritableStream = process.stdout): Logger {
  const secrets = secretValues(s);
  const stream = {
    write(line: string) {
      destination.write(secrets.length ? redact(line, secrets) : line);
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
