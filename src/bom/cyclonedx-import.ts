/**
 * A CycloneDX 1.5–1.7 JSON BOM → the watchlist entries to add. Its `machine-learning-model` components (and `data`
 * components with a Hugging Face purl), at any depth, become `huggingface:` entries from `pkg:huggingface/...` purls
 * or `github:` entries from `pkg:github/...` purls and VCS references to github.com. Models already watched are
 * skipped. `--write` appends with the yaml Document API, so the file's comments and layout stay as they were.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { isSeq, parseDocument, YAMLSeq } from 'yaml';
import type { Watchlist } from '../config/schema.js';
import { parseWatchlist } from '../config/watchlist.js';

export const SUPPORTED_SPECS = ['1.5', '1.6', '1.7'];

export class BomError extends Error {}

interface Component {
  type?: string;
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  'bom-ref'?: string;
  externalReferences?: { type?: string; url?: string }[];
  components?: Component[];
}

export interface BomEntry {
  id: string;
  name: string;
  huggingface?: string;
  github?: string;
  /** Where it came from in the BOM, and the revision it pins (for the comment). */
  from: string;
}

export interface ImportResult {
  entries: BomEntry[];
  skipped: { component: string; reason: string }[];
}

export function readBom(text: string, file: string): Component[] {
  let bom: { bomFormat?: unknown; specVersion?: unknown; components?: unknown; metadata?: { component?: unknown } };
  try {
    bom = JSON.parse(text) as typeof bom;
  } catch (err) {
    throw new BomError(`${file}: not JSON (${(err as Error).message}); only CycloneDX JSON is read`);
  }
  if (!bom || typeof bom !== 'object' || bom.bomFormat !== 'CycloneDX') throw new BomError(`${file}: not a CycloneDX BOM (bomFormat is not "CycloneDX")`);
  if (!SUPPORTED_SPECS.includes(String(bom.specVersion))) {
    throw new BomError(`${file}: CycloneDX ${String(bom.specVersion)} is not supported (${SUPPORTED_SPECS.join(', ')} are)`);
  }
  const out: Component[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list as Component[]) {
      if (!c || typeof c !== 'object') continue;
      out.push(c);
      walk(c.components);
    }
  };
  if (bom.metadata?.component) walk([bom.metadata.component]);
  walk(bom.components);
  return out;
}

const HF_PURL = /^pkg:huggingface\/([^/@?#]+)\/([^/@?#]+)(?:@([^?#]+))?/i;
const GH_PURL = /^pkg:github\/([^/@?#]+)\/([^/@?#]+)(?:@([^?#]+))?/i;
const GH_URL = /^(?:git\+)?(?:https?:\/\/|ssh:\/\/git@|git@)(?:www\.)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/#?].*)?$/i;

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed %-escape: read it as written, the id check below refuses what is not a repository
  }
}

function source(c: Component): { huggingface?: string; github?: string; revision?: string } | undefined {
  const purl = typeof c.purl === 'string' ? decoded(c.purl) : '';
  const hf = HF_PURL.exec(purl);
  if (hf) return { huggingface: `${hf[1]}/${hf[2]}`, revision: hf[3] };
  if (c.type === 'data') return undefined; // only data with a Hugging Face purl
  const gh = GH_PURL.exec(purl);
  if (gh) return { github: `${gh[1]}/${gh[2]}`, revision: gh[3] };
  for (const r of c.externalReferences ?? []) {
    const m = r.type === 'vcs' && r.url ? GH_URL.exec(r.url) : null;
    if (m) return { github: `${m[1]}/${m[2]}` };
  }
  return undefined;
}

function slugId(s: string): string {
  const id = s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '');
  return id || 'model';
}

export function entriesFromBom(components: Component[], watchlist: Pick<Watchlist, 'models'>): ImportResult {
  const watchedHf = new Set(watchlist.models.flatMap((m) => (m.huggingface ? [m.huggingface.toLowerCase()] : [])));
  const watchedGh = new Set(watchlist.models.flatMap((m) => (m.github ? [m.github.toLowerCase()] : [])));
  const ids = new Set(watchlist.models.map((m) => m.id));
  const result: ImportResult = { entries: [], skipped: [] };
  for (const c of components) {
    if (c.type !== 'machine-learning-model' && c.type !== 'data') continue;
    const label = String(c['bom-ref'] ?? c.purl ?? ([c.group, c.name].filter(Boolean).join('/') || '?'));
    const src = source(c);
    if (!src) {
      if (c.type === 'machine-learning-model') result.skipped.push({ component: label, reason: 'no pkg:huggingface or pkg:github purl, nor a GitHub VCS reference' });
      continue;
    }
    const repo = (src.huggingface ?? src.github)!;
    if (!REPO_ID.test(repo)) {
      result.skipped.push({ component: label, reason: `"${repo}" is not an owner/name repository id` });
      continue;
    }
    const seen = src.huggingface ? watchedHf : watchedGh;
    if (seen.has(repo.toLowerCase())) {
      result.skipped.push({ component: label, reason: `already watched (${src.huggingface ? 'huggingface' : 'github'}: ${repo})` });
      continue;
    }
    seen.add(repo.toLowerCase());
    let id = slugId(repo.split('/')[1]!);
    for (let n = 2; ids.has(id); n++) id = `${slugId(repo.split('/')[1]!)}-${n}`;
    ids.add(id);
    const pin = src.revision ?? c.version;
    result.entries.push({
      id,
      name: typeof c.name === 'string' && c.name.trim() ? c.name : repo,
      ...(src.huggingface ? { huggingface: src.huggingface } : { github: src.github }),
      from: `from the BOM: ${label}${pin ? ` (the BOM pins ${pin}; the current terms are watched)` : ''}`,
    });
  }
  return result;
}

/** The entries as watchlist YAML, for printing. */
export function entriesYaml(entries: BomEntry[]): string {
  const doc = parseDocument('models: []\n');
  const seq = doc.get('models', true) as YAMLSeq;
  seq.flow = false;
  for (const e of entries) seq.add(entryNode(doc, e));
  return doc.toString().replace(/^models:\n/, '');
}

function entryNode(doc: ReturnType<typeof parseDocument>, e: BomEntry) {
  const { from, ...fields } = e;
  const node = doc.createNode(fields);
  node.commentBefore = ` ${from}`;
  return node;
}

/**
 * Append the entries to the watchlist file, keeping everything already in it. The result is validated before it
 * replaces the file (written beside it, then renamed, so the worker never reads half a file).
 */
export function appendToWatchlist(file: string, source: string, entries: BomEntry[]): void {
  const doc = parseDocument(source);
  let seq = doc.get('models', true);
  if (!seq) {
    doc.set('models', doc.createNode([]));
    seq = doc.get('models', true);
  }
  if (!isSeq(seq)) throw new BomError(`${file}: models is not a list`);
  if (seq.flow && seq.items.length === 0) seq.flow = false;
  for (const e of entries) seq.add(entryNode(doc, e));
  const next = doc.toString();
  parseWatchlist(next, file);
  const tmp = `${file}.termdrift-${process.pid}.tmp`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}
