import { alertText } from './text.js';
import type { Alert, Channel } from './types.js';

/** No channel configured: the alert is written where a person will see it (CLI output or the worker log). */
export class LogChannel implements Channel {
  readonly name = 'log';
  constructor(private readonly write: (alert: Alert, text: string) => void) {}

  async send(alert: Alert): Promise<{ id: string }> {
    this.write(alert, alertText(alert));
    return { id: 'written' };
  }
}
