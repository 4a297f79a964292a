import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePages } from './fakes/pages.js';
import { repoRoot, Workspace } from './helpers/cli.js';
import { eventually, policyPage, watchlistOf } from './helpers/worker.js';

let pages: FakePages;
beforeAll(async () => {
  pages = await new FakePages().start();
});
afterAll(() => pages.close());

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The processes whose parent is `pid` (the worker under npm's shell, or under npm itself with exec). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter(Boolean);
  } catch {
    return [];
  }
}

describe('npm start (spawned end to end)', () => {
  const cases = [
    { signal: 'SIGTERM', group: false, what: 'SIGTERM to the npm process' },
    { signal: 'SIGINT', group: false, what: 'SIGINT to the npm process' },
    // Ctrl-C in a terminal signals the whole process group: the worker hears it from the terminal and again from npm.
    { signal: 'SIGINT', group: true, what: 'Ctrl-C (SIGINT to the whole process group)' },
  ] as const;
  for (const { signal, group, what } of cases) {
    it(`${what} stops the worker gracefully: no orphan keeps checking or holding the port`, async () => {
      const ws = new Workspace();
      pages.set('/p', policyPage('p'));
      ws.writeWatchlist(watchlistOf((p) => pages.url(p), [{ id: 'p' }]));
      const npm = spawn('npm', ['start', '--silent'], { cwd: repoRoot, env: { ...ws.baseEnv(), TERMDRIFT_HTTP: '127.0.0.1:0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
      let out = '';
      npm.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
      await eventually(() => /"event":"started"/.test(out), 'the worker to start', 30_000);
      // Every process under npm (with `exec` in the script, the worker itself; without it, a shell and the worker).
      const tree: number[] = [];
      for (let frontier = [npm.pid!]; frontier.length; ) {
        const next = frontier.flatMap(childrenOf);
        tree.push(...next);
        frontier = next;
      }
      expect(tree.length).toBeGreaterThan(0);
      if (group) process.kill(-npm.pid!, signal);
      else npm.kill(signal);
      await exited;
      await eventually(() => tree.every((pid) => !alive(pid)), 'every process under npm to exit', 15_000);
      // The worker heard it and shut down cleanly (its last line can reach the pipe after npm has exited).
      await eventually(() => out.includes(`"event":"stopped","signal":"${signal}"`), 'the worker to log that it stopped', 5_000);
      expect(out).not.toContain('"event":"stop-now"');
    });
  }
});
