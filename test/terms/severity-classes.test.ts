import { describe, expect, it } from 'vitest';
import { analyze, compare } from '../../src/terms/index.js';

const sev = (a: string, b: string) => compare(a, b).severity;

describe('a binding URL with a #fragment', () => {
  const fees = (u: string) => `ORBIT DATA TERMS\n\n5. Charges\n\nThe Subscriber shall pay the charges set out at https://orbit.example/${u} within thirty days.\n`;
  it('moving the terms to another page is material', () => {
    expect(sev(fees('service-terms#storage'), fees('service-terms-2029#storage'))).toBe('material');
  });
  it('changing only the fragment on the same page is a cross-reference, not material', () => {
    expect(sev(fees('service-terms#storage'), fees('service-terms#storage-fees'))).not.toBe('material');
  });
});

describe('a soft duty followed by a coordinated hard duty', () => {
  const base = 'HELIX WEIGHTS LICENSE\n\n4. Upkeep\n\nThe Recipient will use best endeavours to install security patches promptly';
  it('adding the hard duty after the soft one is material', () => {
    expect(sev(`${base}.\n`, `${base} and the Recipient shall erase all copies when the Provider so requests.\n`)).toBe('material');
  });
  it('rewording inside the soft duty alone stays wording', () => {
    expect(sev(`${base}.\n`, `${base.replace('promptly', 'quickly')}.\n`)).not.toBe('material');
  });
});

describe('a list ends when the item marker changes style or level', () => {
  const list = (tail: string) => `FERN MODEL TERMS\n\n1. Grant. The Provider grants the Recipient a licence to run the Weights.\n\n2. The Recipient shall not, and shall not allow others to:\n   (i) probe the Weights for personal data;\n   (ii) run the Weights in weapons systems.\n\n${tail}`;
  it('a sibling item granting commercial use is its own grant, and removing it is material', () => {
    const withGrant = list('3. The Recipient may use the Weights for commercial purposes.\n');
    expect(analyze(withGrant).clauses.map((c) => c.kind)).toContain('commercial-use');
    expect(sev(withGrant, list('3. Notices. Notices go to the Provider by post.\n'))).toBe('material');
  });
  it('nested lists keep their lead-in: a new item two levels down is still a prohibition, and a typo in a sibling heading is not', () => {
    const aup = (extra: string, word = 'Lawful') => `FERN USE RULES\n\nYou must not use the Weights to:\n1. break the law, including to:\n   a. defraud people;${extra}\n2. harass people.\n\n3. ${word} Uses\n`;
    expect(sev(aup(''), aup('\n   b. forge identity papers;'))).toBe('material');
    expect(sev(aup(''), aup('', 'Lawfull'))).not.toBe('material');
  });
});

describe('who a provision binds or benefits', () => {
  const doc = (s: string) => `KESTREL RESEARCH AGREEMENT\n\n7. Suggestions\n\n${s}\n`;
  it('a grant whose giver and recipient trade places is material, without any modal verb', () => {
    expect(sev(doc('The Institute hereby assigns to the Sponsor all rights in any suggestions.'), doc('The Sponsor hereby assigns to the Institute all rights in any suggestions.'))).toBe('material');
  });
  it('a coordinated subject is a set: reordering it is not a swap', () => {
    expect(sev(doc('The Sponsor and the Institute will each treat the results as confidential.'), doc('The Institute and the Sponsor will each treat the results as confidential.'))).not.toBe('material');
    expect(sev(doc('The Sponsor will treat the results as confidential.'), doc('The Institute will treat the results as confidential.'))).toBe('material');
  });
});

describe('"commercially" as a permission', () => {
  it('a fact about commercially sourced data permits nothing', () => {
    const t = 'WREN MODEL TERMS\n\n1. Provenance. The Weights were built from commercially licensed corpora and commercially available images.\n';
    expect(analyze(t).clauses.map((c) => c.kind)).not.toContain('commercial-use');
  });
  it('the weights themselves made usable commercially is a commercial-use permission', () => {
    const t = 'WREN MODEL TERMS\n\n1. Use. The Recipient may deploy the Weights commercially.\n';
    expect(analyze(t).clauses.map((c) => c.kind)).toContain('commercial-use');
  });
});

describe('a negator in a fixed phrase is no negation', () => {
  const d = (s: string) => `LARK DATA TERMS\n\n3. Scope\n\n${s}\n`;
  it('"including without limitation", "but not limited to", "no later than" added are not material', () => {
    expect(sev(d('The Licence covers derived checkpoints, including distilled variants.'), d('The Licence covers derived checkpoints, including without limitation distilled variants.'))).not.toBe('material');
    expect(sev(d('The Licence covers derived checkpoints, including distilled variants.'), d('The Licence covers derived checkpoints, including, but not limited to, distilled variants.'))).not.toBe('material');
  });
  it('a negator attached to the predicate on one side only is material', () => {
    expect(sev(d('The Licence covers derived checkpoints, including distilled variants.'), d('The Licence does not cover derived checkpoints, including distilled variants.'))).toBe('material');
  });
});

describe('cross-references counted by top-level places', () => {
  const d = (s: string) => `PIPIT MODEL TERMS\n\n9. Survival\n\nThe duties in ${s} survive the end of this Agreement.\n`;
  it('rewriting the same places ("Clause 7(a) and (b)" → "Clauses 7(a) and 7(b)", "Clauses 2–4" → "Clauses 2, 3 and 4") is not material', () => {
    expect(sev(d('Clause 7(a) and (b)'), d('Clauses 7(a) and 7(b)'))).not.toBe('material');
    expect(sev(d('Clauses 2–4'), d('Clauses 2, 3 and 4'))).not.toBe('material');
  });
  it('citing one place fewer is material', () => {
    expect(sev(d('Clauses 2–4'), d('Clauses 2 and 3'))).toBe('material');
  });
});
