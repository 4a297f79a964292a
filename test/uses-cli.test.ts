import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from './helpers/cli.js';

const fixture = (f: string) => path.resolve(import.meta.dirname, 'fixtures', 'uses', f);

describe('declared uses on the command line (in-process)', () => {
  it('analyze --use --usage --json adds verdicts with reasons, conditions and evidence offsets', async () => {
    const ws = new Workspace();
    const r = await ws.run(['analyze', fixture('community-capped.txt'), '--use', 'hosted-api', 'distribute-derivatives', '--usage', 'monthly_active_users=650000000', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { verdicts: { use: string; verdict: string; reason: string; conditions: { kind: string; summary: string; evidence: { text: string; start: number; end: number } }[]; evidence: { text: string; start: number; end: number }[] }[]; license: unknown };
    expect(out.license).toBeDefined(); // the facts are still there
    expect(out.verdicts.map((v) => [v.use, v.verdict])).toEqual([['hosted-api', 'yes'], ['distribute-derivatives', 'yes']]);
    const scale = out.verdicts[0]!.conditions.find((c) => c.kind === 'scale-limit')!;
    expect(scale.summary).toContain('650M of 700M monthly active users: 93%');
    const over = await ws.run(['analyze', fixture('community-capped.txt'), '--use', 'hosted-api', '--usage', 'monthly_active_users=800000000']);
    expect(over.stdout).toMatch(/^ {2}hosted-api: NO — Your declared usage is past the threshold \(800M of 700M monthly active users: 114%\)/m);
  });

  it('an unknown use is bad input: on the command line (exit 2) and in the watchlist (file:line:col)', async () => {
    const ws = new Workspace();
    const r = await ws.run(['analyze', fixture('mit.txt'), '--use', 'sell-it']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--use: "sell-it" is not a use (expected one of internal, client-pilot');
    ws.writeWatchlist('models:\n  - id: x\n    huggingface: a/b\n    uses: [internal, sell-it]\n');
    const v = await ws.run(['validate']);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/watchlist\.yaml:4:\d+: models\[0\]\.uses\[1\]: /);
  });

  it('defaults.uses reaches models that declare none; gate before any check says to run check (exit 1)', async () => {
    const ws = new Workspace();
    ws.writeWatchlist('defaults:\n  uses: [internal]\nmodels:\n  - id: x\n    huggingface: a/b\n  - id: y\n    huggingface: a/c\n    uses: [hosted-api]\n');
    const { parseWatchlist } = await import('../src/config/watchlist.js');
    const w = parseWatchlist('defaults:\n  uses: [internal]\nmodels:\n  - id: x\n    huggingface: a/b\n  - id: y\n    huggingface: a/c\n    uses: [hosted-api]\n');
    expect(w.models.map((m) => m.uses)).toEqual([['internal'], ['hosted-api']]);
    const g = await ws.run(['gate', '--format', 'json']);
    expect(g.code).toBe(1); // no database yet: nothing was ever checked
    expect(g.stderr).toContain('termdrift check');
  });
});
