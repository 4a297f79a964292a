import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { exampleModel, fixture, textPage } from './helpers/alerts.js';
import { Workspace } from './helpers/cli.js';

let pages: FakePages;
let ws: Workspace;
beforeAll(async () => {
  pages = await new FakePages().start();
  ws = new Workspace();
  ws.writeWatchlist(`models:
${exampleModel(pages)}  - id: hub-model
    huggingface: acme/model-7b
    revision: v1
`);
});
afterAll(() => pages.close());

const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('list and the --json outputs (docs/json.md)', () => {
  it('list shows every model of the watchlist with its sources, as a table and as JSON', async () => {
    const table = await ws.run(['list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^MODEL +SOURCE +DOCUMENTS$/m);
    expect(table.stdout).toMatch(/^example +url +http:\/\/127\.0\.0\.1:\d+\/license \(license\)$/m);
    expect(table.stdout).toMatch(/^hub-model +huggingface +acme\/model-7b@v1$/m);
    const json = JSON.parse((await ws.run(['list', '--json'])).stdout);
    expect(json.models.map((m: { id: string }) => m.id)).toEqual(['example', 'hub-model']);
    expect(json.models[1].sources).toEqual([{ kind: 'huggingface', ref: 'acme/model-7b', revision: 'v1', paths: null, role: null }]);
  });

  it('validate --json gives ok with counts, or every problem with its line and column (exit 2)', async () => {
    const ok = JSON.parse((await ws.run(['validate', '--json'])).stdout);
    expect(ok).toMatchObject({ ok: true, file: 'watchlist.yaml', models: 2, sources: 2 });
    writeFileSync(path.join(ws.dir, 'bad.yaml'), 'models:\n  - id: x\n    huggingface: not a repo\n');
    const bad = await ws.run(['validate', 'bad.yaml', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, problems: [{ file: 'bad.yaml', line: 3 }] });
  });

  it('check --json prints one line per document, alert and delivery, then a summary', async () => {
    pages.set('/license', textPage(fixture('threshold-lowered/old.txt')));
    const first = await ws.run(['check', '--model', 'example', '--json']);
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([
      expect.objectContaining({ type: 'document', model: 'example', role: 'license', outcome: 'new' }),
      { type: 'summary', documents: 1, new: 1, changed: 0, unchanged: 0, errors: 0, findings: 0 },
    ]);
    pages.set('/license', textPage(fixture('threshold-lowered/new.txt')));
    const second = lines((await ws.run(['check', '--model', 'example', '--json'])).stdout);
    expect(second[0]).toMatchObject({ type: 'document', outcome: 'changed', severity: 'material' });
    expect((second[0]!.changes as { summary: string }[])[0]!.summary).toContain('700,000,000 → 500,000,000');
    const alert = second.find((l) => l.type === 'alert')!;
    expect(alert).toMatchObject({ level: 'material', model: 'example' });
    expect(alert.subject).toContain('monthly active users 700M → 500M');
    expect(typeof alert.key).toBe('string');
    expect(second.find((l) => l.type === 'delivery')).toMatchObject({ channel: 'log', status: 'sent' });
    expect(second.at(-1)).toMatchObject({ type: 'summary', changed: 1 });
  });

  it('rely, export, verify and notify-test --json', async () => {
    const rely = JSON.parse((await ws.run(['rely', 'example', '--by', 'ana', '--note', 'launch', '--json'])).stdout);
    expect(rely).toMatchObject({ model: 'example', by: 'ana', note: 'launch', documents: [{ role: 'license', version: 2 }], absent: [] });
    const out = path.join(ws.dir, 'bundle');
    const ex = JSON.parse((await ws.run(['export', 'example', '--signoff', String(rely.id), '--out', out, '--json'])).stdout);
    expect(ex).toMatchObject({ model: 'example', documents: 1, foreign: [] });
    expect(ex.files).toContain('manifest.json');
    const v = JSON.parse((await ws.run(['verify', out, '--json'])).stdout);
    expect(v).toMatchObject({ ok: true, model: 'example', database: 'checked', manifestSha256: ex.manifestSha256, problems: [] });
    writeFileSync(path.join(out, 'slipped-in.txt'), 'x');
    const bad = await ws.run(['verify', out, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, problems: [expect.objectContaining({ file: 'slipped-in.txt' })] });
    expect(JSON.parse((await ws.run(['notify-test', '--json'])).stdout)).toEqual({ targets: [] });
  });
});
