/**
 * npm run demo: an offline tour. A local fake Hugging Face hub serves a made-up model whose terms change four
 * times (a cosmetic reflow, a lowered user cap, a new clause on outputs, an edited acceptable-use page); the real
 * worker watches it on a 2-second schedule; you see its alerts, then what `history`, `terms --as-of` and `diff`
 * show; then a sign-off (`rely`), one more upstream change, `status` with the drift since the sign-off, and an
 * evidence bundle exported and verified. No token, no network, under a minute.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli/main.js';
import { FakeHub } from '../test/fakes/hub.js';
import { FakePages } from '../test/fakes/pages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'termdrift.js');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
// TERMDRIFT_DEMO_FAST=1 (the test): a 1-second schedule and no pauses for a reader; the same steps and output.
const fast = process.env.TERMDRIFT_DEMO_FAST === '1';
const schedule = fast ? '* * * * * *' : '*/2 * * * * *';
const pause = (ms: number) => (fast ? Math.min(ms, 300) : ms);

const hub = await new FakeHub().start();
const pages = await new FakePages().start();
const aupUrl = pages.url('/acme/acceptable-use');

const license = (cap: string, extra = '') => `ACME EXAMPLE COMMUNITY LICENSE AGREEMENT
Version 1.0, released 2026-01-15

1. Grant of rights. You may use, reproduce, distribute and modify the Acme Example model and create derivative works.

2. Additional commercial terms. If the monthly active users of the products or services made available by you exceed ${cap} monthly active users in the preceding calendar month, you must request a license from Acme Corp.

3. Attribution. You must display "Built with Acme" on a related website or in product documentation.
${extra}
4. Acceptable use. Your use of the model must comply with the Acme Acceptable Use Policy (${aupUrl}), which is incorporated by reference.
`;
const card = `---\nlicense: other\nlicense_name: acme-example-community-license\nlicense_link: LICENSE\n---\n# Acme Example 7B\n\nA made-up model for the termdrift demo.\n`;
const aup = (extra = '') =>
  `<html><body><nav>Home · Models · Blog</nav><main><h1>Acme Acceptable Use Policy</h1><p>You agree not to use the model to:</p><ul><li>generate spam;</li><li>impersonate a person;</li>${extra}</ul></main><footer>© Acme</footer></body></html>`;

const steps: { title: string; apply: () => void }[] = [
  { title: 'a cosmetic reflow of the LICENSE (stored, never alerted)', apply: () => hub.commit('acme/example-7b', { LICENSE: license('700 million').replace('and create derivative works.', 'and create\nderivative   works.') }) },
  { title: 'the user cap lowered from 700 million to 400 million', apply: () => hub.commit('acme/example-7b', { LICENSE: license('400 million') }) },
  {
    title: 'a new clause on the use of outputs',
    apply: () => hub.commit('acme/example-7b', { LICENSE: license('400 million', '\n3a. Outputs. You may not use the outputs of the model to train or improve any other large language model.\n') }),
  },
  { title: 'the acceptable-use page edited on Acme\'s website', apply: () => pages.set('/acme/acceptable-use', aup('<li>make decisions about credit or employment.</li>')) },
];

hub.commit('acme/example-7b', { 'README.md': card, LICENSE: license('700 million') }, { cardData: { license: 'other', license_name: 'acme-example-community-license', license_link: 'LICENSE' } });
pages.set('/acme/acceptable-use', aup());

const dir = mkdtempSync(path.join(os.tmpdir(), 'termdrift-demo-'));
writeFileSync(
  path.join(dir, 'watchlist.yaml'),
  `# The demo's watchlist: one model on a local fake hub, checked every ${fast ? 'second' : '2 seconds'}.
defaults:
  schedule: "${schedule}"
models:
  - id: acme-7b
    name: Acme Example 7B
    huggingface: acme/example-7b
    usage: { monthly_active_users: 450000000 }   # we declare our own scale: alerts compare it with the cap
`,
);
const env = {
  ...process.env,
  TERMDRIFT_WATCHLIST: path.join(dir, 'watchlist.yaml'),
  TERMDRIFT_DB: path.join(dir, 'termdrift.db'),
  TERMDRIFT_HTTP: 'off',
  TERMDRIFT_ALLOW_PRIVATE_NETWORK: '1', // the fake upstreams live on 127.0.0.1
  TERMDRIFT_ALERT_SETTLE: '1',
  HF_ENDPOINT: hub.url,
  GITHUB_API_URL: 'http://127.0.0.1:9',
  SLACK_BOT_TOKEN: '',
  SMTP_URL: '',
};

console.log(bold('termdrift demo') + dim(`  (fake hub ${hub.url}, data in ${dir})`));
console.log('Watching acme-7b: its LICENSE and model card on the hub, and the acceptable-use page the LICENSE links to.\n');

const worker = spawn(process.execPath, [bin, 'run'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let checks = 0;
let alerts = 0;
const waiters: (() => void)[] = [];
createInterface({ input: worker.stdout! }).on('line', (line) => {
  let e: { event?: string; model?: string; doc?: string; outcome?: string; severity?: string; msg?: string };
  try {
    e = JSON.parse(line);
  } catch {
    return;
  }
  if (e.event === 'check' && e.outcome !== 'unchanged') console.log(dim(`  worker: ${e.outcome}${e.severity ? ` [${e.severity}]` : ''} ${e.doc}`));
  if (e.event === 'model-checked') {
    checks++;
    waiters.splice(0).forEach((w) => w());
  }
  if (e.event === 'alert') {
    alerts++;
    console.log('\n' + bold('  ┌ alert (no Slack or email configured, so it goes to the log)'));
    for (const l of (e.msg ?? '').split('\n')) console.log(`  │ ${l}`);
    console.log('  └');
  }
});
const nextCheck = (n = 1) => new Promise<void>((resolve) => {
  const target = checks + n;
  const wait = () => (checks >= target ? resolve() : waiters.push(wait));
  wait();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await nextCheck();
console.log(bold('\n1. First check: every document stored as version 1.'));
const beforeChanges = new Date().toISOString();
for (const [i, step] of steps.entries()) {
  await sleep(pause(1200));
  console.log(bold(`\n${i + 2}. Upstream: ${step.title}.`));
  step.apply();
  await nextCheck(2);
}
await sleep(fast ? 1500 : 2500); // the last alerts settle for a second before they are sent
worker.kill('SIGTERM');
await new Promise((r) => worker.once('exit', r));

// The CLI run in this process (the same run(argv, io) as bin/termdrift.js): the fake hub answers from this event
// loop (`check` below fetches from it), and eight commands cost no eight Node start-ups.
const cli = async (args: string[]) => {
  console.log(bold(`\n$ termdrift ${args.join(' ')}`));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const into = (to: Buffer[]) => ({ write: (c: string | Uint8Array) => to.push(Buffer.from(c)) });
  await run(args, { stdout: into(out), stderr: into(err), env, cwd: process.cwd() });
  if (err.length) process.stdout.write(dim(Buffer.concat(err).toString('utf8')));
  process.stdout.write(Buffer.concat(out));
};
console.log(bold('\nWhat a reviewer looks at afterwards:'));
await cli(['history', 'acme-7b']);
await cli(['terms', 'acme-7b', '--doc', 'license', '--as-of', beforeChanges]);
await cli(['diff', 'acme-7b', '--doc', 'license', '--from', beforeChanges]);

console.log(bold(`\n${steps.length + 2}. Legal signs off on the terms in force now.`));
await cli(['rely', 'acme-7b', '--by', 'Jane Doe', '--note', 'approved for the support-bot launch']);
console.log(bold(`\n${steps.length + 3}. Later, upstream: the user cap lowered again, to 300 million.`));
hub.commit('acme/example-7b', { LICENSE: license('300 million', '\n3a. Outputs. You may not use the outputs of the model to train or improve any other large language model.\n') });
await cli(['check']);
console.log(bold(`\n${steps.length + 4}. Status shows the drift since the sign-off:`));
await cli(['status', 'acme-7b']);
console.log(bold(`\n${steps.length + 5}. Evidence for an auditor: the terms that were signed off, exported and verified.`));
const bundle = path.join(dir, 'evidence-signoff-1');
await cli(['export', 'acme-7b', '--signoff', '1', '--out', bundle]);
await cli(['verify', bundle]);

console.log(bold(`\n${alerts} alert(s) from the worker, ${checks} checks. Try the commands yourself:`));
console.log(`  export TERMDRIFT_DB=${env.TERMDRIFT_DB}\n  npx termdrift history acme-7b\n  npx termdrift export acme-7b --format cyclonedx`);
await Promise.all([hub.close(), pages.close()]);
if (process.env.TERMDRIFT_DEMO_CLEANUP === '1') rmSync(dir, { recursive: true, force: true });
