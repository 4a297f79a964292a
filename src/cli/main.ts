import { Command, CommanderError } from 'commander';
import type { Command as CommandType } from 'commander';
import { BufferedWriter, Cli, type Io } from './io.js';

interface CommandModule {
  register(program: CommandType, cli: Cli): void;
}

/**
 * Every command, in the order of `--help`. Each is loaded on first use only: `termdrift validate` never loads the
 * Slack SDK, nodemailer, Octokit, undici or linkedom (start-up was ~530 ms for any command, --help included).
 * A new command is one line here.
 */
const commands: { name: string; load: () => Promise<CommandModule> }[] = [
  { name: 'validate', load: () => import('./validate.js') },
  { name: 'list', load: () => import('./list.js') },
  { name: 'check', load: () => import('./check.js') },
  { name: 'status', load: () => import('./status.js') },
  { name: 'history', load: () => import('./history.js') },
  { name: 'terms', load: () => import('./terms.js') },
  { name: 'diff', load: () => import('./diff.js') },
  { name: 'analyze', load: () => import('./analyze.js') },
  { name: 'compare', load: () => import('./compare.js') },
  { name: 'rely', load: () => import('./rely.js') },
  { name: 'gate', load: () => import('./gate.js') },
  { name: 'brief', load: () => import('./brief.js') },
  { name: 'export', load: () => import('./export.js') },
  { name: 'import-bom', load: () => import('./import-bom.js') },
  { name: 'verify', load: () => import('./verify.js') },
  { name: 'alerts', load: () => import('./alerts.js') },
  { name: 'notify-test', load: () => import('./notify-test.js') },
  { name: 'run', load: () => import('./run.js') },
  { name: 'dashboard', load: () => import('./dashboard.js') },
];

/** The commands `argv` needs: the one it names, or all of them (for --help, a typo, or no command). */
export async function loadCommands(argv: readonly string[]): Promise<CommandModule[]> {
  const named = commands.find((c) => c.name === argv[0]);
  if (named) return [await named.load()]; // `termdrift check --help` too: that command's help
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  return Promise.all(commands.map((c) => c.load()));
}

export function buildProgram(cli: Cli, modules: CommandModule[]): Command {
  const program = new Command('termdrift')
    .description('Monitor the license terms of open-weight AI models and keep dated evidence of every version.')
    .version('0.1.0')
    .showHelpAfterError('(run `termdrift --help` for usage)')
    .configureOutput({ writeOut: (s) => cli.io.stdout.write(s), writeErr: (s) => cli.io.stderr.write(s) })
    .exitOverride();
  for (const c of modules) c.register(program, cli);
  return program;
}

/**
 * Run the CLI on `argv` (the arguments after `termdrift`) and resolve to its exit code: 0 ok, 1 failed or not
 * found, 2 bad input, 3 `check --fail-on` tripped. Nothing here touches the process: the tests run it in-process.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const cli = new Cli(io);
  try {
    const program = buildProgram(cli, await loadCommands(argv));
    await program.parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    return await reportError(cli, err);
  }
}

async function reportError(cli: Cli, err: unknown): Promise<number> {
  // --help and --version exit 0; usage errors exit 2.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  // Loaded only on the error path: the watchlist parser (yaml, zod) and SQLite are not start-up costs.
  const [{ CliError }, { SettingsError }, { WatchlistError }, { EvidenceError }, { databaseProblem }] = await Promise.all([
    import('./context.js'),
    import('../config/settings.js'),
    import('../config/watchlist.js'),
    import('../evidence/errors.js'),
    import('./db-errors.js'),
  ]);
  if (err instanceof WatchlistError) {
    cli.err(err.message);
    return 2;
  }
  if (err instanceof EvidenceError) {
    cli.err(`termdrift: ${err.message}`);
    return err.kind === 'bad-input' || err.kind === 'refused' ? 2 : 1;
  }
  if (err instanceof SettingsError) {
    cli.err(`termdrift: ${err.message}`);
    return 2;
  }
  if (err instanceof CliError) {
    cli.err(`termdrift: ${err.message}`);
    return err.exitCode;
  }
  const db = databaseProblem(err, dbPathOf(cli));
  if (db) {
    cli.err(`termdrift: ${db}`);
    return 1;
  }
  cli.err(`termdrift: ${(err as Error).stack ?? String(err)}`);
  return 1;
}

function dbPathOf(cli: Cli): string {
  try {
    return cli.settings().dbPath;
  } catch {
    return 'TERMDRIFT_DB';
  }
}

/** bin/termdrift.js: the real process, its output buffered into few writes. */
export async function runProcess(): Promise<void> {
  const stdout = new BufferedWriter(process.stdout);
  const stderr = new BufferedWriter(process.stderr);
  const flush = (): void => {
    stdout.flush();
    stderr.flush();
  };
  const exit = (code: number): never => {
    flush();
    process.exit(code);
  };
  // undici is loaded only when a proxy is configured: most commands never make a request.
  if (['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy'].some((n) => process.env[n])) {
    (await import('../sources/proxy.js')).installProxyFromEnv(process.env);
  }
  const code = await run(process.argv.slice(2), { stdout, stderr, env: process.env, cwd: process.cwd(), exit });
  flush();
  process.exitCode = code;
}
