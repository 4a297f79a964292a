import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { redact, secretValues } from '../config/settings.js';
import { loadWatchlist } from '../config/watchlist.js';
import { allTargets, closeChannels, createChannels, type Alert } from '../notify/index.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('notify-test')
    .description('send a test message to every configured Slack channel, email target and webhook, and report what each said')
    .option('--json', 'one JSON object: {"targets":[{channel,target,ok,detail}]} (docs/json.md)')
    .action(async (opts: { json?: boolean }) => {
      const s = cli.settings();
      const watchlist = loadWatchlist(s.watchlistPath, cli.io.cwd);
      const targets = allTargets(watchlist).filter((t) => t.channel !== 'log');
      if (targets.length === 0) {
        if (opts.json) return cli.json({ targets: [] });
        cli.out('no Slack, email or webhook target in the watchlist: alerts are written to the output and the worker log (see docs/alerts.md)');
        return;
      }
      const channels = createChannels(s, () => undefined);
      const secrets = secretValues(s);
      let failed = 0;
      const report: { channel: string; target: string; ok: boolean; detail: string }[] = [];
      try {
        for (const t of targets) {
          const channel = channels.get(t.channel)!;
          const where = `${t.channel} ${t.target}`;
          const alert: Alert = {
            key: `termdrift-test-${randomUUID()}`,
            target: t.target,
            sender: t.sender,
            level: 'info',
            modelId: 'notify-test',
            subject: 'TEST · termdrift can reach this channel',
            sections: [{ lines: ['This is a test message from `termdrift notify-test`. License change alerts will arrive here.'] }],
            attachments: [],
          };
          try {
            const { id } = await channel.send(alert, AbortSignal.timeout(60_000));
            report.push({ channel: t.channel, target: t.target, ok: true, detail: `accepted (${redact(id, secrets)})` });
            if (!opts.json) cli.out(`ok      ${where}: accepted (${redact(id, secrets)})`);
          } catch (err) {
            failed++;
            report.push({ channel: t.channel, target: t.target, ok: false, detail: redact((err as Error).message, secrets) });
            if (!opts.json) cli.out(`failed  ${where}: ${redact((err as Error).message, secrets)}`);
          }
        }
      } finally {
        await closeChannels(channels);
      }
      if (opts.json) cli.json({ targets: report });
      if (failed) cli.exitCode = 1;
    });
}
