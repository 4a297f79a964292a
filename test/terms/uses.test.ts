import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/terms/index.js';
import { verdictDelta } from '../../src/terms/uses-delta.js';
import { USE_NAMES, verdicts, type Declared, type DocumentFacts, type Use, type Verdict } from '../../src/terms/uses.js';

const dir = path.resolve(import.meta.dirname, '..', 'fixtures', 'uses');
const doc = (file: string, role = 'license', locator = `hf:${file}`): DocumentFacts => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  return { locator, role, facts: analyze(text, { role }), text, version: { number: 1 } };
};
const judge = (docs: DocumentFacts[], d: Partial<Declared> = {}): Map<Use, Verdict> =>
  new Map(verdicts(docs, { uses: USE_NAMES, ...d }).map((v) => [v.use, v]));
const answers = (m: Map<Use, Verdict>) => Object.fromEntries([...m].map(([u, v]) => [u, v.verdict]));

describe('verdicts for declared uses', () => {
  it('a standard permissive license answers yes for every use, with its notice condition quoted', () => {
    const m = judge([doc('mit.txt')]);
    expect(new Set([...m.values()].map((v) => v.verdict))).toEqual(new Set(['yes']));
    const redistribute = m.get('redistribute-weights')!;
    const notice = redistribute.conditions.find((c) => c.kind === 'notice')!;
    expect(notice.evidence.text).toContain('copyright notice');
    const text = readFileSync(path.join(dir, 'mit.txt'), 'utf8');
    expect(text.slice(notice.evidence.start, notice.evidence.end)).toBe(notice.evidence.text);
  });

  it('a custom license with no clear text for a use answers maybe, never yes, and says what to ask', () => {
    const m = judge([doc('custom-vague.txt')]);
    for (const v of m.values()) {
      expect(v.verdict).toBe('maybe');
      expect(v.ask).toBeTruthy();
    }
  });

  it('declared usage above a scale limit answers no; below it, yes with the share of the limit; undeclared, maybe', () => {
    const capped = [doc('community-capped.txt')];
    const above = judge(capped, { usage: { monthly_active_users: 750_000_000 } });
    expect(above.get('hosted-api')).toMatchObject({ verdict: 'no' });
    expect(above.get('hosted-api')!.reason).toContain('750M of 700M monthly active users: 107%');
    const below = judge(capped, { usage: { monthly_active_users: 650_000_000 } });
    expect(answers(below)).toMatchObject({ internal: 'yes', 'product-feature': 'yes', 'hosted-api': 'yes', 'redistribute-weights': 'yes', 'distribute-derivatives': 'yes' });
    const limit = below.get('product-feature')!.conditions.find((c) => c.kind === 'scale-limit')!;
    expect(limit.summary).toContain('650M of 700M monthly active users: 93%');
    const undeclared = judge(capped);
    expect(undeclared.get('product-feature')).toMatchObject({ verdict: 'maybe' });
    expect(undeclared.get('product-feature')!.ask).toContain('usage.monthly_active_users');
  });

  it('conditions of a community license come quoted: copy of the agreement, "Built with", name prefix, use policy', () => {
    const v = judge([doc('community-capped.txt')], { usage: { monthly_active_users: 10 } }).get('distribute-derivatives')!;
    const kinds = Object.fromEntries(v.conditions.map((c) => [c.kind, c]));
    expect(kinds['copy-of-license']!.evidence.text).toContain('copy of this Agreement');
    expect(kinds['attribution-display']!.summary).toContain('Built with Heron');
    expect(kinds.naming!.summary).toContain('"Heron"');
    expect(kinds['use-policy']!.summary).toContain('https://heron.example/use-policy');
  });

  it('a region the license excludes answers no for that region only', () => {
    const docs = [doc('region-excluded.txt')];
    const eu = judge(docs, { regions: ['US', 'DE'] });
    expect(eu.get('product-feature')).toMatchObject({ verdict: 'no' });
    expect(eu.get('product-feature')!.reason).toContain('DE');
    expect(eu.get('product-feature')!.evidence[0]!.text).toContain('European Union');
    expect(judge(docs, { regions: ['US'] }).get('product-feature')).toMatchObject({ verdict: 'yes' });
  });

  it('a research-only license: commercial uses no, the others maybe (non-commercial only), training on outputs no', () => {
    const m = judge([doc('research-only.txt')]);
    expect(answers(m)).toEqual({
      internal: 'maybe',
      'client-pilot': 'no',
      'product-feature': 'no',
      'hosted-api': 'no',
      'redistribute-weights': 'maybe',
      'distribute-derivatives': 'maybe',
      'train-on-outputs': 'no',
    });
  });

  it('a non-commercial limit the clause rules do not phrase-match still answers no for commercial uses', () => {
    const m = judge([doc('nc-only-phrasing.txt')]);
    expect(answers(m)).toMatchObject({ 'product-feature': 'no', 'hosted-api': 'no', 'client-pilot': 'no', internal: 'maybe' });
    expect(m.get('product-feature')!.evidence[0]!.text).toContain('non-commercially');
  });

  it('a provision forbidding hosted services answers no for hosted-api while other uses stay yes', () => {
    const m = judge([doc('no-hosting.txt')]);
    expect(m.get('hosted-api')).toMatchObject({ verdict: 'no' });
    expect(m.get('hosted-api')!.evidence[0]!.text).toContain('hosted service');
    expect(m.get('product-feature')).toMatchObject({ verdict: 'yes' });
    expect(m.get('redistribute-weights')!.conditions.map((c) => c.kind)).toContain('copy-of-license');
  });

  it('a model card that names another license than the LICENSE makes a would-be yes a maybe', () => {
    const m = judge([doc('research-only.txt'), doc('card-apache.md', 'model-card', 'hf:README.md')]);
    expect(m.get('product-feature')).toMatchObject({ verdict: 'maybe' });
    expect(m.get('product-feature')!.reason).toContain('disagree');
    expect(m.get('product-feature')!.reason).toMatch(/apache-2\.0/i);
    // An explicit prohibition in the license text still stands.
    expect(m.get('train-on-outputs')).toMatchObject({ verdict: 'no' });
  });

  it('provision-level facts that forbid (territory, hosting) are read too, when the analyzer provides them', () => {
    const base = doc('community-capped.txt');
    const sentence = 'Residents of the European Union are outside the scope of this grant, and hosting for others is off limits.';
    const text = `${base.text}\n\n8. ${sentence}\n`;
    const start = text.indexOf(sentence);
    // The shape of the provision reader's facts (issue 14): section, heading, role, kinds, polarity, parameters.
    const provision = { evidence: sentence, start, end: start + sentence.length, section: '8', heading: null, role: 'operative' as const, operative: true, polarity: 'forbids' as const, params: { territories: ['European Union'] } };
    const facts = { ...analyze(text, { role: 'license' }), provisions: [{ ...provision, kinds: ['territory' as const] }, { ...provision, kinds: ['hosted-service' as const] }] };
    const m = judge([{ ...base, text, facts }], { regions: ['FR'], usage: { monthly_active_users: 10 } });
    expect(m.get('internal')).toMatchObject({ verdict: 'no' });
    expect(m.get('internal')!.evidence[0]).toMatchObject({ text: sentence, start });
    expect(judge([{ ...base, text, facts }], { regions: ['US'], usage: { monthly_active_users: 10 } }).get('hosted-api')).toMatchObject({ verdict: 'no' });
    // Without the provisions (an older analyzer), the same sentence is not read as either.
    expect(judge([{ ...base, text, facts: analyze(text, { role: 'license' }) }], { regions: ['FR'], usage: { monthly_active_users: 10 } }).get('internal')).toMatchObject({ verdict: 'yes' });
  });

  it('no license among the documents: maybe for every use', () => {
    const m = judge([]);
    expect(new Set([...m.values()].map((v) => v.verdict))).toEqual(new Set(['maybe']));
  });

  it('the delta names each flip with the version that caused it, and each new condition', () => {
    const before = verdicts([doc('community-capped.txt')], { uses: ['hosted-api', 'product-feature'], usage: { monthly_active_users: 10 } });
    const after = verdicts([doc('no-hosting.txt')], { uses: ['hosted-api', 'product-feature'], usage: { monthly_active_users: 10 } });
    const lines = verdictDelta(before, after, 'LICENSE version 3 (first seen 2026-03-01T00:00:00.000Z)');
    expect(lines[0]).toMatch(/^hosted-api: yes → no since LICENSE version 3 \(first seen 2026-03-01T00:00:00\.000Z\): /);
    expect(verdictDelta(before, before, 'x')).toEqual([]);
    const gained = verdictDelta(verdicts([doc('no-hosting.txt')], { uses: ['redistribute-weights'] }), verdicts([doc('community-capped.txt')], { uses: ['redistribute-weights'], usage: { monthly_active_users: 10 } }), 'LICENSE version 2');
    expect(gained.some((l) => /^redistribute-weights: new condition: display "Built with Heron"/.test(l))).toBe(true);
  });
});
