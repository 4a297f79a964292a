import { describe, expect, it } from 'vitest';
import { buildProgram, commands } from '../src/cli/main.js';
import { Cli } from '../src/cli/io.js';
import { runCli } from './helpers/cli.js';

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
