import type { Command } from 'commander';
import { startWorker } from '../monitor/worker.js';
import { settings } from './context.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run the worker: check every model on its schedule until stopped (npm start)')
    .action(async () => {
      await startWorker(settings());
    });
}
