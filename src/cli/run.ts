import type { Command } from 'commander';
import { HttpListenError } from '../http/server.js';
import { startWorker } from '../monitor/worker.js';
import { workerOptions } from '../app/worker.js';
import { CliError } from './context.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('run')
    .description('run the worker: check every model on its schedule until SIGTERM/SIGINT (npm start)')
    .action(async () => {
      try {
        const s = cli.settings();
        await startWorker(s, workerOptions(s));
      } catch (err) {
        if (err instanceof HttpListenError) throw new CliError(err.message, 1);
        throw err;
      }
      // Idle keep-alive sockets of the HTTP client would hold the process for a few seconds more.
      cli.io.exit?.(0);
    });
}
