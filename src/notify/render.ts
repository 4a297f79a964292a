/**
 * Alert items → one channel-neutral message. Pure: the data comes in (see compose.ts), text goes out.
 * Order inside each item: what and where, severity, fact changes in plain words, the changed passages,
 * provenance, and the commands that show the full diff and the text in force before.
 */
import type { FactChange, Severity } from '../terms/index.js';
import { isSystemItem, systemHeadline, systemLevel, systemSections, type SystemItem } from './render-system.js';
import type { Alert, AlertLevel, Section } from './types.js';

export interface DocInfo {
  locator: string;
  role: string;
  url: string;
}

export interface VersionInfo {
  number: number;
  sha256: string;
  firstSeenAt: string;
}

export type ModelItem = Exclude<AlertItem, SystemItem>;

export type AlertItem =
  | SystemItem
  | {
      kind: 'change';
      changeKind: string; // text | gone | reappeared | unlinked | relinked | finding | source-facts
      severity: Severity;
      doc: DocInfo;
      summary: string;
      facts: Pick<FactChange, 'type' | 'summary' | 'metric' | 'from' | 'to'>[];
      /** Verdict flips and new conditions for the declared uses: they lead the message. */
      verdictLead?: string[];
      excerpt?: { hunks: string; truncated: boolean };
      fullDiff?: string;
      revertedTo?: string;
      revision?: string | null;
      from?: VersionInfo;
      to?: VersionInfo;
      detectedAt: string;
    }
  | { kind: 'cannot-verify'; doc: DocInfo; failures: number; reason: string; since?: string }
  | { kind: 'recovered'; doc: DocInfo; failures: number }
  | {
      kind: 'usage';
      level: 'approaching' | 'exceeded';
      metric: string;
      declared: number;
      threshold: { value: number; comparator: string; currency?: string };
      doc: DocInfo;
      evidence: string;
    };

export interface RenderInput {
  key: string;
  target: string;
  sender?: string;
  /** Absent for alerts about termdrift itself (every item a SystemItem). */
  model?: { id: string; name: string };
  items: AlertItem[];
  signoff?: { by: string; at: string };
  /** How the user runs the CLI in commands shown in the message. */
  cli?: string;
}

const RANK: Record<AlertLevel, number> = { info: 0, cosmetic: 1, wording: 2, warning: 3, material: 4 };

export function levelOf(item: AlertItem): AlertLevel {
  if (isSystemItem(item)) return systemLevel(item);
  if (item.kind === 'change') return item.severity;
  if (item.kind === 'recovered') return 'info';
  return item.kind === 'usage' && item.level === 'exceeded' ? 'material' : 'warning';
}

export function render(input: RenderInput): Alert {
  const items = [...input.items].sort((a, b) => RANK[levelOf(b)] - RANK[levelOf(a)]);
  const top = items[0];
  if (!top) throw new Error('render: an alert needs at least one item');
  const level = levelOf(top);
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : '';
  const subject = isSystemItem(top)
    ? `${level.toUpperCase()} · ${systemHeadline(top)}${more}`
    : `${label(top)} · ${input.model?.name ?? '?'} · ${docLabel(top.doc)}: ${headline(top)}${more}`;
  const sections: Section[] = [];
  if (input.signoff) {
    sections.push({ lines: [`Changed since the version signed off by ${input.signoff.by} on ${day(input.signoff.at)}.`] });
  }
  const attachments: Alert['attachments'] = [];
  for (const item of items) {
    sections.push(...itemSections(input, item));
    if (item.kind === 'change' && item.fullDiff) {
      attachments.push({ filename: `${fileSafe(input.model?.id ?? 'termdrift')}-${fileSafe(docLabel(item.doc))}.diff`, content: item.fullDiff, contentType: 'text/x-diff' });
    }
  }
  // The structured input travels along for channels that send data rather than text (the webhook).
  return { key: input.key, target: input.target, sender: input.sender, level, modelId: input.model?.id ?? null, subject, sections, attachments, input };
}

function itemSections(input: RenderInput, item: AlertItem): Section[] {
  if (isSystemItem(item)) return systemSections(item, input.cli ?? 'termdrift');
  const where = `${input.model?.name ?? '?'} · ${docLabel(item.doc)} (${item.doc.role})`;
  switch (item.kind) {
    case 'cannot-verify':
      return [
        {
          heading: `We can no longer verify these terms: ${where}`,
          lines: [
            `${item.failures} consecutive checks failed${item.since ? ` since ${item.since}` : ''}. Last reason: ${item.reason}`,
            `Source: ${item.doc.url}`,
            'You will get one "checking resumed" message when a check succeeds again.',
          ],
        },
      ];
    case 'recovered':
      return [{ heading: `Checking resumed: ${where}`, lines: [`The document could be checked again after ${item.failures} failed checks.`, `Source: ${item.doc.url}`] }];
    case 'usage': {
      const pct = Math.round((item.declared / item.threshold.value) * 100);
      const verb = item.level === 'exceeded' ? 'exceeds' : `is at ${pct}% of`;
      return [
        {
          heading: `Usage threshold ${item.level === 'exceeded' ? 'exceeded' : 'approaching'}: ${where}`,
          lines: [
            `Your declared ${words(item.metric)} (${num(item.declared)}) ${verb} the threshold in the current terms (${item.threshold.comparator} ${item.threshold.currency ? `${item.threshold.currency} ` : ''}${num(item.threshold.value)}).`,
            `The terms say: "${clip(item.evidence, 500)}"`,
            `Source: ${item.doc.url}`,
          ],
        },
      ];
    }
    case 'change':
      return changeSections(input, item);
  }
}

function changeSections(input: RenderInput, c: Extract<AlertItem, { kind: 'change' }>): Section[] {
  const model = input.model ?? { id: '?', name: '?' };
  // A finding is about the model as a whole, not one document.
  const where = c.changeKind === 'finding' ? model.name : `${model.name} · ${docLabel(c.doc)} (${c.doc.role})`;
  const revert = c.revertedTo ? `reverted to the text first seen on ${day(c.revertedTo)}` : undefined;
  const phrases: Record<string, string> = {
    gone: 'disappeared',
    unlinked: "is no longer linked from the model's documents",
    relinked: `is linked again${revert ? `, ${revert}` : ''}`,
    reappeared: `is available again${revert ? `, ${revert}` : ''}`,
    finding: 'has documents that disagree',
  };
  const what = Object.hasOwn(phrases, c.changeKind) ? phrases[c.changeKind]! : (revert ?? 'changed');
  const out: Section[] = [{ heading: `${where} ${what}`, lines: [`Severity: ${c.severity.toUpperCase()}`] }];
  if (c.verdictLead?.length) out.push({ heading: 'Your uses', lines: c.verdictLead });
  const facts = c.facts.map((f) => f.summary);
  out.push({ heading: 'What changed', lines: facts.length ? facts : [c.summary] });
  if (c.excerpt?.hunks) {
    out.push({ heading: `Changed passages${c.excerpt.truncated ? ' (excerpt; the full diff is attached to the email)' : ''}`, lines: [], code: c.excerpt.hunks });
  }
  const prov = c.doc.url ? [`${c.changeKind === 'finding' ? 'Documents' : 'Source'}: ${c.doc.url}`] : [];
  if (c.revision) prov.push(`Upstream revision: ${c.revision}`);
  if (c.from) prov.push(`Old: version ${c.from.number}, SHA-256 ${c.from.sha256}, first seen ${c.from.firstSeenAt}`);
  if (c.to) prov.push(`New: version ${c.to.number}, SHA-256 ${c.to.sha256}, first seen ${c.to.firstSeenAt}`);
  else prov.push(`Detected: ${c.detectedAt}`);
  out.push({ heading: 'Provenance', lines: prov });
  const cli = input.cli ?? 'termdrift';
  const doc = shellWord(c.doc.locator);
  const cmds: string[] = [];
  if (c.from && c.to) cmds.push(`${cli} diff ${model.id} --doc ${doc} --from ${c.from.number} --to ${c.to.number}`);
  if (c.from) cmds.push(`${cli} terms ${model.id} --doc ${doc} --as-of ${c.from.firstSeenAt}`);
  if (cmds.length) out.push({ heading: 'Full diff and the text in force before', lines: cmds });
  return out;
}

function label(item: ModelItem): string {
  if (item.kind === 'change') return item.severity.toUpperCase();
  if (item.kind === 'cannot-verify') return 'CANNOT VERIFY';
  if (item.kind === 'recovered') return 'CHECKING RESUMED';
  return item.level === 'exceeded' ? 'USAGE EXCEEDED' : 'USAGE WARNING';
}

function headline(item: ModelItem): string {
  switch (item.kind) {
    case 'cannot-verify':
      return clip(item.reason, 80);
    case 'recovered':
      return `checked again after ${item.failures} failures`;
    case 'usage':
      return `${words(item.metric)} ${compact(item.declared)} vs ${compact(item.threshold.value)}`;
    case 'change': {
      if (item.changeKind === 'reappeared') return 'Document is available again';
      if (item.changeKind === 'relinked') return 'Linked again';
      if (item.revertedTo) return `reverted to the text first seen on ${day(item.revertedTo)}`;
      // A use whose answer flipped leads; a new condition on a use does not outrank the change that brought it.
      const flip = item.verdictLead?.find((l) => !/^[\w-]+: new condition: /.test(l));
      if (flip) return clip(flip, 80);
      const f = item.facts[0];
      if (f && f.type === 'threshold-changed' && f.metric && typeof f.from === 'number' && typeof f.to === 'number') {
        return `${words(f.metric)} ${compact(f.from)} → ${compact(f.to)}`;
      }
      return clip(f?.summary ?? item.summary, 80);
    }
  }
}

/** "LICENSE" for hf:LICENSE or gh:model_licenses/LICENSE; the role for a watched URL. */
export function docLabel(doc: DocInfo): string {
  const m = /^(?:hf|gh):(?:.*\/)?([^/]+)$/.exec(doc.locator);
  if (m) return m[1]!;
  return doc.role.toUpperCase().replace(/-/g, ' ');
}

export function compact(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, s] of units) if (Math.abs(n) >= v) return `${Number((n / v).toFixed(1))}${s}`;
  return String(n);
}

const num = (n: number) => n.toLocaleString('en-US');
const words = (metric: string) => metric.replace(/_/g, ' ');
const day = (iso: string) => iso.slice(0, 10);
const fileSafe = (s: string) => s.replace(/[^\w.-]+/g, '_');
const shellWord = (s: string) => (/^[\w:/.@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
