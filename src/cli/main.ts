import { installProxyFromEnv } from '../sources/proxy.js';
import { Command, CommanderError } from 'commander';
import { SettingsError } from '../config/settings.js';
import { WatchlistError } from '../config/watchlist.js';
import { EvidenceError } from '../evidence/errors.js';
import { CliError } from './context.js';
import { BufferedWriter, Cli, type Io } from './io.js';
import * as alerts from './alerts.js';
import * as analyze from './analyze.js';
import * as check from './check.js';
import * as compare from './compare.js';
import * as diff from './diff.js';
import * as exportBundle from './export.js';
import * as history from './history.js';
import * as notifyTest from './notify-test.js';
import * as rely from './rely.js';
import * as runCommand from './run.js';
import * as status from './status.js';
import * as terms from './terms.js';
import * as validate from './validate.js';
import * as verify from './verify.js';

const commands = [validate, check, status, history, terms, diff, analyze, compare, rely, exportBundle, verify, alerts, notifyTest, runCommand];

export function buildProgram(cli: Cli): Command {
  const program = new Command('termdrift')
    .description('Monitor the license terms of open-weight AI models and keep dated evidence of every version.')
    .version('0.1.0')
    .showHelpAfterError('(run `termdrift --help` for usage)')
    .configureOutput({ writeOut: (s) => cli.io.stdout.write(s), writeErr: (s) => cli.io.stderr.write(s) })
    .exitOverride();
  for (const c of commands) c.register(program, cli);
  return program;
}

/**
 * Run the CLI on `argv` (the arguments after `termdrift`) and resolve to its exit code: 0 ok, 1 failed or not
 * found, 2 bad input, 3 `check --fail-on` tripped. Nothing here touches the process: the tests run it in-process.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const cli = new Cli(io);
  try {
    await buildProgram(cli).parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    return reportError(cli, err);
  }
}

function reportError(cli: Cli, err: unknown): number {
  // --help and --version exit 0; usage errors exit 2.
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
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
  cli.err(`termdrift: ${(err as Error).stack ?? String(err)}`);
  return 1;
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
  installProxyFromEnv(process.env);
  const code = await run(process.argv.slice(2), { stdout, stderr, env: process.env, cwd: process.cwd(), exit });
  flush();
  process.exitCode = code;
}
