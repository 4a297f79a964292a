import { Command, CommanderError } from 'commander';
import { SettingsError } from '../config/settings.js';
import { WatchlistError } from '../config/watchlist.js';
import { EvidenceError } from '../evidence/errors.js';
import { CliError } from './context.js';
import * as alerts from './alerts.js';
import * as analyze from './analyze.js';
import * as check from './check.js';
import * as compare from './compare.js';
import * as diff from './diff.js';
import * as exportBundle from './export.js';
import * as history from './history.js';
import * as importBom from './import-bom.js';
import * as notifyTest from './notify-test.js';
import * as rely from './rely.js';
import * as run from './run.js';
import * as status from './status.js';
import * as terms from './terms.js';
import * as validate from './validate.js';
import * as verify from './verify.js';

const commands = [validate, check, status, history, terms, diff, analyze, compare, rely, exportBundle, importBom, verify, alerts, notifyTest, run];

export function buildProgram(): Command {
  const program = new Command('termdrift')
    .description('Monitor the license terms of open-weight AI models and keep dated evidence of every version.')
    .version('0.1.0')
    .showHelpAfterError('(run `termdrift --help` for usage)')
    .exitOverride();
  for (const c of commands) c.register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors exit 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof WatchlistError) {
      console.error(err.message);
      process.exitCode = 2;
      return;
    }
    if (err instanceof EvidenceError) {
      console.error(`termdrift: ${err.message}`);
      process.exitCode = err.kind === 'bad-input' || err.kind === 'refused' ? 2 : 1;
      return;
    }
    if (err instanceof SettingsError) {
      console.error(`termdrift: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof CliError) {
      console.error(`termdrift: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    console.error(`termdrift: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  }
}

await main(process.argv);
