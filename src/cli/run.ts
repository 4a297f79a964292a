import type { Command } from 'commander';
import { HttpListenError } from '../http/server.js';
import { startWorker } from '../monitor/worker.js';
import { workerOptions } from '../app/worker.js';
import { CliError, settings } from './context.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run the worker: check every model on its schedule until SIGTERM/SIGINT (npm start)')
    .action(async () => {
      try {
        const s = settings();
        await startWorker(s, workerOptions(s));
      } catch (err) {
        if (err instanceof HttpListenError) throw new CliError(err.message, 1);
        throw err;
      }
      // Idle keep-alive sockets of the HTTP client would hold the process for a few seconds more.
      process.exit(0);
    });
}
