import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHub } from './fakes/hub.js';
import { Workspace } from './helpers/cli.js';

const REPO = 'example/Missing-7B';

let hub: FakeHub;
let ws: Workspace;
beforeAll(async () => {
  hub = await new FakeHub().start();
  ws = new Workspace();
  ws.env = { HF_ENDPOINT: hub.url };
  ws.writeWatchlist(`models:\n  - id: missing\n    huggingface: ${REPO}\n`);
});
afterAll(() => hub.close());

describe('a model whose source fails as a whole (nothing stored yet) tells the truth in status and history', () => {
  it('says when and why the last attempt failed, and forgets it once every source answered', async () => {
    const failed = await ws.run(['check']);
    expect(failed.code).toBe(1);
    const reason = /^error {6}missing huggingface:\*: (.+)$/m.exec(failed.stdout)?.[1];
    expect(reason).toBeTruthy();

    const status = await ws.run(['status', 'missing']);
    expect(status.stdout).toMatch(new RegExp(`never checked successfully: the last attempt failed at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: ${reason!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const json = JSON.parse((await ws.run(['status', 'missing', '--json'])).stdout) as { models: { lastOutcome: string; lastFailure: { reason: string } | null }[] };
    expect(json.models[0]).toMatchObject({ lastOutcome: 'never-checked', lastFailure: { reason } });
    expect((await ws.run(['history', 'missing'])).stdout).toContain(`no versions yet: the last attempt failed at `);

    hub.commit(REPO, { 'README.md': '---\nlicense: mit\n---\n# Missing 7B\n', LICENSE: 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy.\n' }, { cardData: { license: 'mit' } });
    expect((await ws.run(['check'])).code).toBe(0);
    const after = JSON.parse((await ws.run(['status', 'missing', '--json'])).stdout) as { models: { lastOutcome: string; lastFailure: unknown }[] };
    expect(after.models[0]).toMatchObject({ lastOutcome: 'ok', lastFailure: null });
    expect((await ws.run(['status', 'missing'])).stdout).not.toContain('failed');
  });
});
