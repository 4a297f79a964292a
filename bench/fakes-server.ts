/**
 * The benchmark's upstreams, in their own process so the checker's memory is measured alone:
 * a fake Hugging Face hub, a fake GitHub API and plain policy pages, driven over IPC.
 */
import { FakeGitHub } from '../test/fakes/github.js';
import { FakeHub } from '../test/fakes/hub.js';
import { FakePages, type RecordedRequest } from '../test/fakes/pages.js';

export type FakesCommand =
  | { cmd: 'setup'; models: number }
  | { cmd: 'mutate'; fraction: number; seed: number }
  | { cmd: 'stats' }
  | { cmd: 'close' };

export interface FakesStats {
  requests: number;
  bytes: number;
  /** Requests answered 200 with a document body (not API metadata). */
  documentBodies: number;
  notModified: number;
  metadata: number;
}

const hub = await new FakeHub().start();
const github = await new FakeGitHub().start();
github.remaining = Number.MAX_SAFE_INTEGER;
const pages = await new FakePages().start();

export const kinds = ['hf', 'gh', 'url'] as const;

function licenseText(i: number, rev: number): string {
  const cap = 700 - (rev % 7) * 50;
  return `BENCH MODEL ${i} COMMUNITY LICENSE AGREEMENT\nVersion ${rev}\n\n` +
    `1. You may use, reproduce and distribute the Model ${i} materials, subject to this Agreement.\n\n` +
    `2. Additional Commercial Terms. If the monthly active users of your products exceed ${cap} million monthly active users, ` +
    `you must request a license from the Licensor.\n\n` +
    `3. You must retain the notice "Built with Bench ${i}" in every copy you distribute.\n\n` +
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40) + '\n';
}
function policyText(i: number, rev: number): string {
  return `# Acceptable Use Policy for Model ${i} (rev ${rev})\n\nYou agree not to use the model to:\n\n` +
    Array.from({ length: 30 }, (_, k) => `- prohibited use number ${k} of model ${i}`).join('\n') + '\n';
}
function cardText(i: number, rev: number): string {
  return `---\nlicense: other\nlicense_name: bench-model-${i}\n---\n# Model ${i}\n\nRevision ${rev}. ` + 'A model card paragraph. '.repeat(60) + '\n';
}

const revs = new Map<number, number>();
let models = 0;

function publish(i: number): void {
  const rev = revs.get(i) ?? 0;
  const kind = kinds[i % 3]!;
  if (kind === 'hf') {
    hub.commit(`bench/model-${i}`, { 'README.md': cardText(i, rev), LICENSE: licenseText(i, rev), 'USE_POLICY.md': policyText(i, rev) }, { cardData: { license: 'other', license_name: `bench-model-${i}` } });
  } else if (kind === 'gh') {
    github.commit(`bench/model-${i}`, { LICENSE: licenseText(i, rev), 'USE_POLICY.md': policyText(i, rev), 'README.md': cardText(i, rev) });
  } else {
    pages.set(`/m${i}/license`, { body: `<html><body><main><pre>${licenseText(i, rev)}</pre></main><footer>${Date.now()}</footer></body></html>` });
    pages.set(`/m${i}/aup`, { body: `<html><body><main>${policyText(i, rev).split('\n').map((l) => `<p>${l}</p>`).join('')}</main></body></html>` });
    pages.set(`/m${i}/card`, { body: cardText(i, rev), type: 'text/markdown' });
  }
}

function stats(): FakesStats {
  const all: RecordedRequest[] = [...hub.requests, ...github.requests, ...pages.requests];
  const isMeta = (r: RecordedRequest) => r.path.startsWith('/api/') || r.path.startsWith('/repos/') && !r.path.includes('/contents/');
  const s: FakesStats = {
    requests: all.length,
    bytes: all.reduce((n, r) => n + r.bytes, 0),
    documentBodies: all.filter((r) => r.status === 200 && r.bytes > 0 && !isMeta(r)).length,
    notModified: all.filter((r) => r.status === 304).length,
    metadata: all.filter(isMeta).length,
  };
  hub.requests.length = 0;
  github.requests.length = 0;
  pages.requests.length = 0;
  return s;
}

process.on('message', (m: FakesCommand) => {
  if (m.cmd === 'setup') {
    models = m.models;
    for (let i = 0; i < models; i++) publish(i);
    process.send!({ hub: hub.url, github: github.url, pages: pages.url('') });
  } else if (m.cmd === 'mutate') {
    // A new revision of every document of `fraction` of the models (so `fraction` of all documents),
    // spread evenly over the three kinds of source.
    const count = Math.max(1, Math.round(models * m.fraction));
    const step = Math.floor(models / count) || 1;
    const touched: number[] = [];
    for (let k = 0, i = m.seed % step; k < count && i < models; k++, i += step) {
      revs.set(i, (revs.get(i) ?? 0) + 1);
      publish(i);
      touched.push(i);
    }
    process.send!({ touched });
  } else if (m.cmd === 'stats') {
    process.send!(stats());
  } else if (m.cmd === 'close') {
    void Promise.all([hub.close(), github.close(), pages.close()]).then(() => process.exit(0));
  }
});
process.send!({ ready: true });
