/**
 * Every ```sh and ```yaml block of README.md and docs/*.md runs here (as urlwatch tests its filter docs): shell
 * blocks line by line against the fakes (see helpers/docs-scene.ts), YAML blocks as a watchlist or a fragment of
 * one. A command passes when it exits 0, or the code its trailing comment names ("# exit 3 when …"). Whatever
 * pages exist are run; output and other non-runnable snippets are fenced ```text, ```json, ```ini and so on.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseWatchlist } from '../src/config/watchlist.js';
import { docsScene, type DocsScene } from './helpers/docs-scene.js';
import { repoRoot, runCli } from './helpers/cli.js';

interface Block {
  lang: string;
  body: string;
  line: number;
}

const pages = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

function blocks(page: string): Block[] {
  const text = readFileSync(path.join(repoRoot, page), 'utf8');
  const out: Block[] = [];
  for (const m of text.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```/gm)) {
    out.push({ lang: m[1]!, body: m[2]!, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Logical commands of a shell block: `\` continuations joined, blank and comment-only lines dropped. */
export function commands(body: string): { cmd: string; codes: number[] }[] {
  const out: { cmd: string; codes: number[] }[] = [];
  let acc = '';
  for (const raw of body.split('\n')) {
    if (!acc && (/^\s*$/.test(raw) || /^\s*#/.test(raw))) continue;
    if (raw.endsWith('\\')) {
      acc += `${raw.slice(0, -1)} `;
      continue;
    }
    const cmd = acc + raw;
    acc = '';
    const comment = /\s#\s(.*)$/.exec(cmd)?.[1] ?? '';
    const code = /\bexits? (\d+)\b/.exec(comment)?.[1];
    out.push({ cmd, codes: code ? [0, Number(code)] : [0] });
  }
  return out;
}

/** A plain `npx termdrift ARGS` (no redirection, pipes or variables) runs in-process; anything else in bash. */
export function cliArgs(cmd: string): string[] | undefined {
  const bare = cmd.replace(/\s#\s.*$/, '').trim();
  const m = /^(?:npx )?termdrift\s+(.*)$/.exec(bare);
  if (!m || /[|&;<>$`\\*?]/.test(m[1]!.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  return [...m[1]!.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((t) => t[1] ?? t[2] ?? t[3]!);
}

async function sh(cmd: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const args = cliArgs(cmd);
  if (args) {
    const r = await runCli(args, { env, cwd });
    return { code: r.code, out: `${r.stdout}${r.stderr}` };
  }
  return new Promise((resolve) => {
    execFile('bash', ['-c', cmd], { cwd, env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** A YAML example is a whole watchlist, one model entry, or a list of them. */
function asWatchlist(body: string): string {
  const v = parse(body) as unknown;
  if (Array.isArray(v)) return `models:\n${body.replace(/^/gm, '  ')}`;
  if (v && typeof v === 'object' && 'id' in v) return `models:\n  - ${body.replace(/\n(?!$)/g, '\n    ')}`;
  return body;
}

/** For a GitHub Actions workflow (`on` + `jobs`): the termdrift subcommands its steps run; undefined for anything else. */
export function workflowRuns(body: string): string[] | undefined {
  const v = parse(body) as { on?: unknown; jobs?: Record<string, { steps?: { run?: string }[] }> } | null;
  if (!v || typeof v !== 'object' || !v.jobs || !('on' in v)) return undefined;
  return Object.values(v.jobs).flatMap((j) => (j.steps ?? []).flatMap((st) => [...(st.run ?? '').matchAll(/(?:npx )?termdrift ([a-z-]+)/g)].map((m) => m[1]!)));
}

let scene: DocsScene;
beforeAll(async () => {
  scene = await docsScene();
}, 60_000);
afterAll(() => scene?.close());

describe('the docs: every ```yaml block is a valid watchlist or fragment', () => {
  for (const page of pages) {
    const yaml = blocks(page).filter((b) => b.lang === 'yaml');
    if (yaml.length === 0) continue;
    it(page, async () => {
      for (const b of yaml) {
        const where = `${page}:${b.line}`;
        const workflow = workflowRuns(b.body);
        if (workflow) {
          // A CI workflow, not a watchlist: every termdrift command it runs must exist.
          for (const cmd of workflow) expect((await runCli([cmd, '--help'])).code, `${where}: termdrift ${cmd}`).toBe(0);
          continue;
        }
        expect(() => parseWatchlist(asWatchlist(b.body), where), where).not.toThrow();
      }
    });
  }
});

describe('the docs: every ```sh block runs against the fakes', () => {
  for (const page of pages) {
    const shell = blocks(page).filter((b) => b.lang === 'sh');
    if (shell.length === 0) continue;
    it(page, async () => {
      const { dir, env } = scene.workspace();
      for (const b of shell) {
        for (const c of commands(b.body)) {
          const r = await sh(c.cmd, dir, env);
          const where = `${page}:${b.line}: \`${c.cmd}\` exited ${r.code}\n${r.out}`;
          expect(c.codes, where).toContain(r.code);
          expect(r.out, where).not.toMatch(/\n\s+at .*\.js:\d+:\d+/);
        }
      }
    }, 240_000);
  }
});

describe('the docs harness itself', () => {
  it('joins continuations, drops comments and reads the exit code a comment names', () => {
    expect(commands('# intro\nnpx termdrift check --fail-on material   # exit 3 when a change was found\nnpx termdrift a \\\n  --b\n')).toEqual([
      { cmd: 'npx termdrift check --fail-on material   # exit 3 when a change was found', codes: [0, 3] },
      { cmd: 'npx termdrift a    --b', codes: [0] },
    ]);
    expect(cliArgs('npx termdrift rely gemma --by "Jane Doe"   # prints the id')).toEqual(['rely', 'gemma', '--by', 'Jane Doe']);
    expect(cliArgs('npx termdrift terms gemma --raw > terms.html')).toBeUndefined();
  });
});
