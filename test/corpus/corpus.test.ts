/**
 * Measures the analyser on the shared corpus (../shared/corpus, or $TERMDRIFT_CORPUS): prints a score table
 * and fails below the bars of issues 8 and 14. Run with `npm run test:corpus`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, compare, type Facts } from '../../src/terms/index.js';

interface LabelDoc {
  file: string;
  role: string;
  licenseName: string | null;
  family: string | null;
  spdx: string | null;
  version: string | null;
  commercialUse: string | null;
  thresholds: { metric: string; value: number; currency?: string }[];
  clauses: string[];
  noClauses: string[];
  references: string[];
  licenseIdPattern?: string;
}
interface LabelPair {
  old: string;
  new: string;
  severity: string;
  changes: { kind: string; metric?: string; clause?: string }[];
  summary: string;
}

const root = resolve(process.cwd(), process.env.TERMDRIFT_CORPUS ?? '../shared/corpus');
const labels = JSON.parse(readFileSync(resolve(root, 'labels.json'), 'utf8')) as { documents: LabelDoc[]; pairs: LabelPair[] };
const text = (file: string): string => readFileSync(resolve(root, file), 'utf8');

const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const ratio = (n: number, d: number): number => (d === 0 ? 1 : n / d);
const norm = (u: string): string => u.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/+$/, '');

describe('license corpus', () => {
  it('meets the bars of issues 8 and 14', () => {
    expect(existsSync(resolve(root, 'labels.json'))).toBe(true);
    const facts = new Map<string, Facts>();
    const misses: string[] = [];
    let thrFound = 0, thrLabelled = 0, thrReported = 0, thrCorrect = 0;
    let clTp = 0, clFp = 0, clFn = 0;
    let famOk = 0, famN = 0, idOk = 0, idN = 0, cuOk = 0, cuN = 0, verOk = 0, verN = 0;
    let refTp = 0, refFp = 0, refFn = 0;

    for (const d of labels.documents) {
      const f = analyze(text(d.file), { role: d.role });
      facts.set(d.file, f);
      const short = d.file.replace(/^texts\//, '');
      // thresholds: same metric and value
      for (const t of d.thresholds) {
        thrLabelled++;
        if (f.thresholds.some((x) => x.metric === t.metric && x.value === t.value)) thrFound++;
        else misses.push(`threshold missed  ${short}: ${t.metric}=${t.value}`);
      }
      for (const x of f.thresholds) {
        thrReported++;
        if (d.thresholds.some((t) => t.metric === x.metric && t.value === x.value)) thrCorrect++;
        else misses.push(`threshold extra   ${short}: ${x.metric}=${x.value} «${x.evidence.slice(0, 90)}»`);
      }
      // clauses: labelled present / absent kinds
      const kinds = new Set(f.clauses.map((c) => c.kind));
      for (const k of d.clauses) if (kinds.has(k as never)) clTp++; else { clFn++; misses.push(`clause missed     ${short}: ${k}`); }
      for (const k of d.noClauses) if (kinds.has(k as never)) { clFp++; misses.push(`clause extra      ${short}: ${k} «${f.clauses.find((c) => c.kind === k)!.evidence.slice(0, 90)}»`); }
      // license family and id
      if (d.family) {
        famN++;
        if (f.license?.family === d.family) famOk++;
        else misses.push(`family wrong      ${short}: ${f.license?.family ?? 'none'} (${f.license?.id ?? '-'}), expected ${d.family}`);
      }
      if (d.licenseIdPattern) {
        idN++;
        const re = new RegExp(d.licenseIdPattern, 'i');
        const l = f.license;
        if (l && (re.test(l.id) || (l.spdx !== null && re.test(l.spdx)) || (l.name !== null && re.test(l.name)))) idOk++;
        else misses.push(`license id wrong  ${short}: ${l?.id ?? 'none'} !~ /${d.licenseIdPattern}/`);
      }
      if (d.commercialUse) {
        cuN++;
        if (f.commercialUse === d.commercialUse) cuOk++;
        else misses.push(`commercial wrong  ${short}: ${f.commercialUse}, expected ${d.commercialUse}`);
      }
      if (d.role === 'license' && d.family) {
        verN++;
        if ((f.version ?? null) === d.version) verOk++;
        else misses.push(`version wrong     ${short}: ${f.version ?? 'null'}, expected ${d.version ?? 'null'}`);
      }
      const got = new Set(f.references.map((r) => norm(r.url)));
      const want = new Set(d.references.map(norm));
      for (const u of want) if (got.has(u)) refTp++; else { refFn++; misses.push(`reference missed  ${short}: ${u}`); }
      for (const u of got) if (!want.has(u)) { refFp++; misses.push(`reference extra   ${short}: ${u}`); }
    }

    let sevOk = 0, chTp = 0, chN = 0;
    for (const p of labels.pairs) {
      const c = compare(text(p.old), text(p.new), facts.get(p.old), facts.get(p.new));
      const name = `${p.old.replace(/^texts\//, '')} → ${p.new.replace(/^.*\//, '')}`;
      if (c.severity === p.severity) sevOk++;
      else misses.push(`severity wrong    ${name}: ${c.severity}, expected ${p.severity} [${c.changes.map((x) => x.summary).join('; ')}]`);
      for (const e of p.changes) {
        chN++;
        if (c.changes.some((x) => x.type === e.kind && (!e.metric || x.metric === e.metric) && (!e.clause || x.clause === e.clause))) chTp++;
        else misses.push(`change missed     ${name}: ${e.kind}${e.metric ? ` ${e.metric}` : ''}${e.clause ? ` ${e.clause}` : ''}`);
      }
    }

    const thrRecall = ratio(thrFound, thrLabelled);
    const thrPrecision = ratio(thrCorrect, thrReported);
    const famAcc = ratio(famOk, famN);
    const idAcc = ratio(idOk, idN);
    const sevAcc = ratio(sevOk, labels.pairs.length);
    const rows = [
      ['thresholds recall', pct(thrFound, thrLabelled), `${thrFound}/${thrLabelled}`, 'bar 100%'],
      ['thresholds precision', pct(thrCorrect, thrReported), `${thrCorrect}/${thrReported}`, 'bar ≥ 95%'],
      ['license family accuracy', pct(famOk, famN), `${famOk}/${famN}`, 'bar 100%'],
      ['license id pattern', pct(idOk, idN), `${idOk}/${idN}`, 'bar 100%'],
      ['severity accuracy (pairs)', pct(sevOk, labels.pairs.length), `${sevOk}/${labels.pairs.length}`, 'bar ≥ 95%'],
      ['clauses precision', pct(clTp, clTp + clFp), `${clTp}/${clTp + clFp}`, '(labelled absent counts against)'],
      ['clauses recall', pct(clTp, clTp + clFn), `${clTp}/${clTp + clFn}`, ''],
      ['commercial-use accuracy', pct(cuOk, cuN), `${cuOk}/${cuN}`, ''],
      ['version accuracy (licenses)', pct(verOk, verN), `${verOk}/${verN}`, ''],
      ['references precision', pct(refTp, refTp + refFp), `${refTp}/${refTp + refFp}`, ''],
      ['references recall', pct(refTp, refTp + refFn), `${refTp}/${refTp + refFn}`, ''],
      ['expected fact changes found', pct(chTp, chN), `${chTp}/${chN}`, ''],
    ];
    const table = rows.map(([a, b, c, d]) => `  ${a!.padEnd(30)} ${b} ${c!.padStart(8)}  ${d}`).join('\n');
    console.log(`\nlicense corpus: ${labels.documents.length} texts, ${labels.pairs.length} pairs (${root})\n${table}\n\nmisses (${misses.length}):\n${misses.map((m) => `  ${m}`).join('\n')}\n`);

    expect(thrRecall, 'thresholds recall').toBe(1);
    expect(thrPrecision, 'thresholds precision').toBeGreaterThanOrEqual(0.95);
    expect(famAcc, 'license family accuracy').toBe(1);
    expect(idAcc, 'license id pattern accuracy').toBe(1);
    expect(sevAcc, 'severity accuracy').toBeGreaterThanOrEqual(0.95);
  });
});
