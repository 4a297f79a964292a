import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, commands } from '../src/cli/main.js';
import { Cli } from '../src/cli/io.js';
import { repoRoot, runCli } from './helpers/cli.js';

const sink = { write: () => true };

describe('termdrift --help lists every command without loading any', () => {
  it('the index of commands says exactly what each command registers (name, arguments, summary)', async () => {
    const cli = new Cli({ stdout: sink, stderr: sink, env: {}, cwd: process.cwd() });
    const real = buildProgram(cli, await Promise.all(commands.map((c) => c.load())));
    const registered = real.commands.map((c) => ({
      name: c.name(),
      args: c.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' '),
      summary: c.description(),
    }));
    expect(registered).toEqual(commands.map(({ name, args, summary }) => ({ name, args, summary })));
  });

  it('the overview names every command with its arguments; a command\'s own help shows its options', async () => {
    const overview = await runCli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/^ {2}compare \[options\] <old> <new> +classify the change/m);
    for (const c of commands) expect(overview.stdout).toContain(`  ${c.name} `);
    const own = await runCli(['help', 'check']);
    expect(own.stdout).toContain('--fail-on <severity>');
    expect((await runCli(['check', '--help'])).stdout).toContain('--fail-on <severity>');
  });

  it('a mistyped command is a usage error that suggests the right one', async () => {
    const r = await runCli(['chek']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'chek'");
    expect(r.stderr).toContain('(Did you mean check?)');
  });
});

/** The packages a module loads when it is imported: its static value imports, followed through src/ (type-only imports and import() left out). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.matchAll(/^\s*(?:import|export)(?!\s+type\b)[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target);
      } else packages.add(spec);
    }
  };
  visit(path.join(repoRoot, entry));
  return packages;
}

describe('start-up of the CLI', () => {
  it('`termdrift --help` loads no zod, yaml or SQLite: settings are parsed only by a command that reads them', async () => {
    const loaded = [...staticPackages('src/cli/main.ts')];
    expect(loaded.filter((p) => /^(zod|yaml|better-sqlite3)(\/|$)/.test(p))).toEqual([]);
    expect(loaded).toContain('commander'); // the walk does see the packages main.ts imports
    // A command that reads settings gets them parsed (with the schema) on first use; a bad value is exit 2.
    const bad = await runCli(['list'], { env: { TERMDRIFT_CONCURRENCY: 'four' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('termdrift: TERMDRIFT_CONCURRENCY: "four" is not a positive whole number (default 4)');
    // A command that reads none never parses them: a bad value does not stop it.
    expect((await runCli(['analyze', '--help'], { env: { TERMDRIFT_CONCURRENCY: 'four' } })).code).toBe(0);
  });
});
