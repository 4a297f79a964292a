import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

describe('npm run demo (the offline tour the README offers newcomers)', () => {
  it('shows the worker alerting on the lowered cap, the usage crossing it, the new clause and the policy edit, but not the reflow; then rely, a later change, drift in status, export + verify', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(repoRoot, 'dist', 'demo', 'run.js')], { cwd: repoRoot, timeout: 110_000, env: { PATH: process.env.PATH, TERMDRIFT_DEMO_CLEANUP: '1', TERMDRIFT_DEMO_FAST: '1' } }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
    const alerts = out.split('┌ alert').slice(1);
    expect(alerts).toHaveLength(3);
    expect(alerts[0]).toContain('Monthly active users threshold: 700,000,000 → 400,000,000');
    expect(alerts[0]).toContain('Your declared monthly active users (450,000,000) exceeds the threshold in the current terms (> 400,000,000)');
    expect(alerts[1]).toContain('New clause (output-use)');
    expect(alerts[2]).toMatch(/ACCEPTABLE USE[\s\S]*consequential-decisions/);
    expect(out).toContain('changed [cosmetic] hf:LICENSE');
    expect(out).toMatch(/\$ termdrift terms acme-7b[\s\S]*exceed 700 million monthly active users/);
    // After the tour: a sign-off, a later change, the drift since the sign-off, and a verified bundle.
    const after = out.slice(out.indexOf('$ termdrift rely'));
    expect(after).toMatch(/Recorded sign-off 1: Jane Doe relied on/);
    expect(after).toMatch(/\$ termdrift check[\s\S]*changed\s+acme-7b hf:LICENSE \[material\][\s\S]*400,000,000 → 300,000,000/);
    expect(after).toMatch(/\$ termdrift status acme-7b[\s\S]*DRIFT \[material\]: Changed since the version signed off by Jane Doe[\s\S]*400,000,000 → 300,000,000/);
    expect(after).toMatch(/\$ termdrift export acme-7b --signoff 1[\s\S]*Wrote \d+ file\(s\)/);
    expect(after).toMatch(/\$ termdrift verify [\s\S]*OK: \d+ file\(s\) of acme-7b match/);
  }, 120_000);
});
