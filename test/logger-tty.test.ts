import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config/settings.js';
import { createLogger } from '../src/log/logger.js';

/** A destination that says whether it is a terminal, and keeps what was written. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; text: () => string };
  w.isTTY = isTTY;
  w.text = () => chunks.join('');
  return w;
}

describe('the worker log', () => {
  const s = loadSettings({ SLACK_BOT_TOKEN: 'xoxb-secret-token-1234' }, '/srv');

  it('is JSON lines when stdout is not a terminal', () => {
    const out = sink(false);
    createLogger(s, out).info({ event: 'started', model: 'gemma' }, 'termdrift worker started');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 'info', app: 'termdrift', event: 'started', model: 'gemma', msg: 'termdrift worker started' });
  });

  it('is readable lines on a terminal, with secrets still masked', () => {
    const out = sink(true);
    createLogger(s, out).warn({ event: 'check', detail: 'token xoxb-secret-token-1234 refused' }, 'a check failed');
    const text = out.text();
    expect(() => JSON.parse(text.trim())).toThrow();
    expect(text).toMatch(/WARN.*a check failed/);
    expect(text).toContain('event: "check"');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('xoxb-secret-token-1234');
  });
});
