import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/notify/types.js';
import { WebhookChannel } from '../src/notify/webhook.js';
import { repoRoot } from './helpers/cli.js';

/** The receiver example of docs/alerts.md, run as written (on a free port), against the real webhook channel. */
describe('the webhook receiver example in docs/alerts.md', () => {
  it('accepts a signed alert once, drops the repeat with the same key, and refuses a forged signature', async () => {
    const page = readFileSync(path.join(repoRoot, 'docs', 'alerts.md'), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(page.slice(page.indexOf('## Send alerts to your own endpoint')))![1]!;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'termdrift-receiver-')), 'receiver.mjs');
    writeFileSync(file, code);
    const secret = 'receiver-example-secret';
    const child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH, PORT: '0', TERMDRIFT_WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines: string[] = [];
      const waiters: (() => void)[] = [];
      createInterface({ input: child.stdout! }).on('line', (l) => {
        lines.push(l);
        waiters.splice(0).forEach((w) => w());
      });
      const line = (n: number) => new Promise<void>((resolve) => (lines.length >= n ? resolve() : waiters.push(() => lines.length >= n && resolve())));
      await line(1);
      const port = /listening on (\d+)/.exec(lines[0]!)![1];
      const url = `http://127.0.0.1:${port}/hook`;
      const alert: Alert = { key: 'termdrift-42-webhook-abc', target: url, sender: 'SECRET', level: 'material', modelId: 'gemma', subject: 'MATERIAL · Gemma · license: cap lowered', sections: [], attachments: [] };
      const channel = new WebhookChannel({ envVar: (n) => (n === 'SECRET' ? secret : undefined) });
      const signal = AbortSignal.timeout(10_000);
      await channel.send(alert, signal);
      await channel.send(alert, signal); // a re-send after a crash: same key
      await line(2);
      const forged = new WebhookChannel({ envVar: () => 'not-the-secret' });
      await expect(forged.send(alert, signal)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('HTTP 401') });
      await channel.send({ ...alert, key: 'termdrift-43-webhook-def', level: 'info', subject: 'INFO · Gemma · checking resumed' }, signal);
      await line(3);
      expect(lines.slice(1)).toEqual(['material: MATERIAL · Gemma · license: cap lowered', 'info: INFO · Gemma · checking resumed']);
    } finally {
      child.kill();
    }
  });
});
