import { Command, CommanderError, Option } from 'commander';
import type { Command as CommandType } from 'commander';
import { BufferedWriter, Cli, type Io } from './io.js';

interface CommandModule {
  register(program: CommandType, cli: Cli): void;
}

/**
 * Every command, in the order of `--help`. Each is loaded on first use only: `termdrift validate` never loads the
 * Slack SDK, nodemailer, Octokit, undici or linkedom (start-up was ~530 ms for any command, --help included).
 * `args` and `summary` let `termdrift --help` (and a mistyped command's suggestion) list every command without loading
 * any; test/cli-help.test.ts fails when they differ from what the command itself registers. A new command is one line.
 */
export const commands: { name: string; args: string; summary: string; load: () => Promise<CommandModule>; settings?: false }[] = [
  { name: 'validate', args: '[file]', summary: 'check watchlist.yaml and report every problem as FILE:LINE:COL', load: () => import('./validate.js') },
  { name: 'list', args: '', summary: 'the models of the watchlist in force, with their sources and documents', load: () => import('./list.js') },
  { name: 'check', args: '', summary: 'fetch every document of the watchlist once now and store what was seen', load: () => import('./check.js') },
  { name: 'status', args: '[model]', summary: 'per model: last check, current license, and whether the terms drifted since the latest sign-off', load: () => import('./status.js') },
  { name: 'history', args: '<model>', summary: 'every stored version of every document of a model', load: () => import('./history.js') },
  { name: 'terms', args: '<model>', summary: 'print the exact text of a document in force at a moment (default: now)', load: () => import('./terms.js') },
  { name: 'diff', args: '<model>', summary: 'unified diff between two versions of a document (default: the last two)', load: () => import('./diff.js') },
  { name: 'analyze', args: '<file>', summary: 'name the license of a file and list its thresholds, clauses and referenced terms, with evidence', load: () => import('./analyze.js'), settings: false },
  { name: 'compare', args: '<old> <new>', summary: 'classify the change between two versions of a document (cosmetic, wording, material) and list the fact changes', load: () => import('./compare.js'), settings: false },
  { name: 'rely', args: '<model>', summary: 'record a sign-off: who relied on the exact document versions of a model in force at a moment, and why', load: () => import('./rely.js') },
  { name: 'gate', args: '', summary: 'for CI: exit 0 when every declared use is "yes" and nothing material changed since the sign-off, else 3', load: () => import('./gate.js') },
  { name: 'brief', args: '<model>', summary: 'the one-page note before shipping: license, commercial use, limits, thresholds, obligations, your uses and their verdicts, the record', load: () => import('./brief.js') },
  { name: 'export', args: '[model]', summary: 'write an evidence bundle (manifest.json with hashes, README.txt), or with --format cyclonedx an AI-BOM', load: () => import('./export.js') },
  { name: 'import-bom', args: '<file>', summary: 'read a CycloneDX 1.5–1.7 JSON BOM and print the watchlist entries for its models (--write appends them)', load: () => import('./import-bom.js') },
  { name: 'verify', args: '<dir>', summary: 're-hash an evidence bundle against its manifest and, when TERMDRIFT_DB exists, against the stored versions', load: () => import('./verify.js') },
  { name: 'alerts', args: '', summary: 'list alert deliveries: pending, sent, failed (with the reason)', load: () => import('./alerts.js') },
  { name: 'notify-test', args: '', summary: 'send a test message to every configured Slack channel, email target and webhook, and report what each said', load: () => import('./notify-test.js') },
  { name: 'run', args: '', summary: 'run the worker: check every model on its schedule until SIGTERM/SIGINT (npm start)', load: () => import('./run.js') },
  { name: 'dashboard', args: '', summary: 'serve the dashboard, JSON API and feeds on TERMDRIFT_HTTP without running checks (`run` serves them too)', load: () => import('./dashboard.js') },
];

/** The commands `argv` needs: the one it names, or none (the overview help, a typo, --version: stubs suffice). */
export async function loadCommands(argv: readonly string[], cli?: Cli): Promise<CommandModule[]> {
  const named = commands.find((c) => c.name === (argv[0] === 'help' ? argv[1] : argv[0]));
  if (!named) return [];
  // The settings schema (zod) loads beside the command that reads settings, in parallel; --help never loads it.
  const [module, settings] = await Promise.all([named.load(), named.settings === false ? undefined : import('../config/settings.js')]);
  if (cli && settings) cli.loadSettings = settings.loadSettings;
  return [module]; // `termdrift check --help` too: that command's own help
}

/** A command listed by name, arguments and summary only, for the overview help and "did you mean". */
function stub(program: Command, c: (typeof commands)[number]): void {
  const cmd = program.command(c.name).description(c.summary);
  for (const a of c.args.split(' ').filter(Boolean)) cmd.argument(a);
  cmd.addOption(new Option('--stub').hideHelp()); // every real command has options: the overview shows "[options]"
}

export function buildProgram(cli: Cli, modules: CommandModule[]): Command {
  const program = new Command('termdrift')
    .description('Monitor the license terms of open-weight AI models and keep dated evidence of every version.')
    .version('0.1.0')
    .showHelpAfterError('(run `termdrift --help` for usage)')
    .configureOutput({ writeOut: (s) => cli.io.stdout.write(s), writeErr: (s) => cli.io.stderr.write(s) })
    .exitOverride();
  if (modules.length === 0) for (const c of commands) stub(program, c);
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
    const program = buildProgram(cli, await loadCommands(argv, cli));
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

/**
 * `check` whose last run had fetched texts to read: start the derive thread now, beside loading the command, rather
 * than when the first page arrives while every check slot waits for it (~100 ms). Settings that do not load are the
 * command's to report.
 */
async function prewarm(): Promise<(() => Promise<void>) | undefined> {
  try {
    const [{ loadSettings }, { checkHintFile, readDerivedHint }] = await Promise.all([import('../config/settings.js'), import('./check-hint.js')]);
    if (readDerivedHint(checkHintFile(loadSettings(process.env, process.cwd()).dbPath)) === false) return undefined;
    return (await import('../app/derive-pool.js')).prewarmDerivePool();
  } catch {
    return undefined;
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
  const argv = process.argv.slice(2);
  const unwarm = argv[0] === 'check' ? await prewarm() : undefined;
  const code = await run(argv, { stdout, stderr, env: process.env, cwd: process.cwd(), exit });
  await unwarm?.(); // a check that never began (bad input, --help) leaves no thread holding the process
  flush();
  process.exitCode = code;
}
