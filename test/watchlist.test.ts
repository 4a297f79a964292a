import { describe, expect, it } from 'vitest';
import { parseWatchlist, WatchlistError } from '../src/config/watchlist.js';

function problems(yaml: string): string[] {
  try {
    parseWatchlist(yaml, 'watchlist.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(WatchlistError);
    return (err as WatchlistError).message.split('\n');
  }
  throw new Error('expected the watchlist to be rejected');
}

const good = `defaults:
  schedule: "0 6 * * *"
models:
  - id: gemma-2
    name: Gemma 2
    documents:
      - url: https://ai.google.dev/gemma/terms
        role: license
      - url: https://ai.google.dev/gemma/prohibited_use_policy
        role: acceptable-use
        select: "main"
`;

describe('watchlist', () => {
  it('accepts the README example and fills defaults', () => {
    const w = parseWatchlist(good);
    expect(w.models[0]!.documents![1]!.select).toBe('main');
    expect(w.defaults.timezone).toBe('UTC');
    expect(w.models[0]!.follow_references).toBe(true);
  });

  it('reports broken YAML with its line and column', () => {
    const [line] = problems('models:\n  - id: a\n    documents: [\n');
    expect(line).toMatch(/^watchlist\.yaml:4:1: YAML: /);
  });

  it('points an unknown key at the key itself', () => {
    expect(problems(good.replace('        role: license', '        role: license\n        selector: main'))).toEqual([
      'watchlist.yaml:9:9: models[0].documents[0]: unknown key "selector"',
    ]);
  });

  it('names a duplicate model id where the second one stands', () => {
    const yaml = `models:\n  - id: a\n    documents: [{url: "https://x.example/a"}]\n  - id: a\n    documents: [{url: "https://x.example/b"}]\n`;
    expect(problems(yaml)).toEqual(['watchlist.yaml:4:9: models[1].id: duplicate model id "a" (first used by models[0])']);
  });

  it('rejects the same URL listed twice for one model', () => {
    const yaml = `models:\n  - id: a\n    documents:\n      - url: "https://x.example/a"\n      - url: "https://x.example/a"\n        select: main\n`;
    expect(problems(yaml)).toEqual(['watchlist.yaml:5:14: models[0].documents[1].url: "https://x.example/a" is already listed as documents[0]']);
  });

  it('rejects the same page spelled another way: host case, default port, a fragment', () => {
    for (const other of ['https://X.EXAMPLE/a', 'https://x.example:443/a', 'https://x.example/a#section-2']) {
      const yaml = `models:\n  - id: a\n    documents:\n      - url: "https://x.example/a"\n      - url: "${other}"\n`;
      expect(problems(yaml)).toEqual([`watchlist.yaml:5:14: models[0].documents[1].url: "${other}" is already listed as documents[0]`]);
    }
    // Another path or query is another page.
    expect(() => parseWatchlist(`models:\n  - id: a\n    documents:\n      - url: "https://x.example/a"\n      - url: "https://x.example/a?lang=de"\n`)).not.toThrow();
  });

  it('rejects a selector the HTML engine cannot run, at the selector', () => {
    expect(problems(good.replace('select: "main"', 'select: "main >>> p[["'))).toEqual([
      'watchlist.yaml:11:17: models[0].documents[1].select: "main >>> p[[" is not a CSS selector termdrift can use: Did not expect successive traversals.',
    ]);
    const [line] = problems(good.replace('select: "main"', 'ignore: [".banner", "p:hover-ish"]'));
    expect(line).toMatch(/^watchlist\.yaml:11:\d+: models\[0\]\.documents\[1\]\.ignore\[1\]: "p:hover-ish" is not a CSS selector termdrift can use: /);
    expect(parseWatchlist(good.replace('select: "main"', 'select: "article > .terms p:not(.note)"')).models[0]!.documents![1]!.select).toBe('article > .terms p:not(.note)');
  });

  it('rejects a declared usage metric that no threshold is about, suggesting the near one', () => {
    const yaml = good.replace('    name: Gemma 2\n', '    name: Gemma 2\n    usage: { monthly_active_user: 200000000, annual_revenue: 5 }\n');
    expect(problems(yaml)).toEqual([
      expect.stringMatching(/^watchlist\.yaml:6:\d+: models\[0\]\.usage\.monthly_active_user: unknown usage metric "monthly_active_user" \(did you mean monthly_active_users\?\); the metrics are monthly_active_users, /),
    ]);
  });

  it('rejects a cron step or range that cannot mean what it says', () => {
    expect(problems(good.replace('"0 6 * * *"', '"*/61 * * * *"'))).toEqual([
      'watchlist.yaml:2:13: defaults.schedule: "*/61 * * * *" is not a valid cron expression (minute: a step of 61 is larger than the field (0-59))',
    ]);
    expect(problems(good.replace('"0 6 * * *"', '"0 9-5 * * *"'))[0]).toContain('(hour: the range 9-5 runs backwards)');
    expect(parseWatchlist(good.replace('"0 6 * * *"', '"*/15 9-17 * * mon-fri"')).defaults.schedule).toBe('*/15 9-17 * * mon-fri');
  });

  it('rejects a bad cron expression at the value', () => {
    const [line] = problems(good.replace('"0 6 * * *"', '"0 25 * * *"'));
    expect(line).toMatch(/^watchlist\.yaml:2:13: defaults\.schedule: "0 25 \* \* \*" is not a valid cron expression/);
  });

  it('rejects a URL that is not http(s)', () => {
    const [line] = problems(good.replace('https://ai.google.dev/gemma/terms', 'ftp://ai.google.dev/terms'));
    expect(line).toBe('watchlist.yaml:7:14: models[0].documents[0].url: "ftp://ai.google.dev/terms" must be an http(s) URL');
  });

  it('reports a missing field at the object that lacks it', () => {
    const yaml = `models:\n  - name: No id\n    documents: [{url: "https://x.example/a"}]\n`;
    expect(problems(yaml)).toEqual(['watchlist.yaml:2:5: models[0].id: is required']);
  });

  it('rejects a model with nothing to watch', () => {
    expect(problems('models:\n  - id: empty\n')).toEqual(['watchlist.yaml:2:5: models[0]: needs at least one of huggingface, github or documents']);
  });

  it('rejects a repository id that is not owner/name', () => {
    const [line] = problems('models:\n  - id: l\n    huggingface: "meta-llama/Llama 3"\n');
    expect(line).toBe('watchlist.yaml:3:18: models[0].huggingface: "meta-llama/Llama 3": is not a Hugging Face repository id (expected owner/name)');
  });

  it('rejects a role that does not exist, listing the valid ones', () => {
    const [line] = problems(good.replace('role: license', 'role: licence'));
    expect(line).toMatch(/^watchlist\.yaml:8:15: models\[0\]\.documents\[0\]\.role: .*license/);
  });
});
