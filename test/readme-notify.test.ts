import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, Workspace } from './helpers/cli.js';

describe('README "Get alerts on Slack and email"', () => {
  it('its watchlist example is valid', async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Get alerts on Slack and email'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(yaml).toContain('usage_warning: 0.8');
    const ws = new Workspace();
    ws.writeWatchlist(yaml);
    const r = await ws.run(['validate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
