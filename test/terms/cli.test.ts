import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const path = (p: string): string => fileURLToPath(new URL(`../fixtures/terms/${p}`, import.meta.url));

async function run(...args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.replace(/\n$/, '');
}

describe('termdrift analyze / compare', () => {
  it('analyze prints the license, commercial use and each threshold with its quoted evidence', async () => {
    const out = await run('analyze', path('threshold-lowered/old.txt'));
    expect(out).toContain('Commercial use is restricted');
    expect(out).toContain('Threshold: Monthly active users > 700,000,000 (preceding calendar month); must request a license.');
    expect(out).toMatch(/“2\. Additional Commercial Terms\.|“If the monthly active users/);
  });

  it('analyze --json prints the facts with evidence offsets', async () => {
    const facts = JSON.parse(await run('analyze', path('revenue-cap/license.txt'), '--json'));
    expect(facts.thresholds[0]).toMatchObject({ metric: 'annual_revenue', value: 1000000, currency: 'USD' });
    expect(typeof facts.thresholds[0].start).toBe('number');
  });

  it('compare prints the severity, each fact change in words, then the diff', async () => {
    const out = await run('compare', path('threshold-lowered/old.txt'), path('threshold-lowered/new.txt'));
    expect(out.split('\n')[0]).toBe('MATERIAL: the terms changed.');
    expect(out).toContain('- Monthly active users threshold: 700,000,000 → 500,000,000');
    expect(out).toContain('[-700-]{+500+}');
  });

  it('compare --json gives severity, changes and excerpt', async () => {
    const result = JSON.parse(await run('compare', path('whitespace-only/old.txt'), path('whitespace-only/new.txt'), '--json'));
    expect(result).toMatchObject({ severity: 'cosmetic', changes: [] });
  });

  it('a missing file is bad input (exit code 2)', async () => {
    const r = await runCli(['analyze', path('no-such/file.txt')]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^termdrift: cannot read .*no-such\/file\.txt: no such file\n$/);
  });
});
