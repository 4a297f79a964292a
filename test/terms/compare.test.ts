import { describe, expect, it } from 'vitest';
import { analyze, compare, severityAtLeast } from '../../src/terms/index.js';
import { fixture } from './helpers.js';

const pair = (dir: string) => compare(fixture(`${dir}/old.txt`), fixture(`${dir}/new.txt`));

describe('severity of a change', () => {
  it('a lowered MAU cap is a material threshold-changed with both evidences', () => {
    const c = pair('threshold-lowered');
    expect(c.severity).toBe('material');
    // The existing fact change comes first; the provision that carries it follows.
    expect(c.changes.map((x) => x.type)).toEqual(['threshold-changed', 'provision-changed']);
    expect(c.changes[1]).toMatchObject({ section: '2', kinds: expect.arrayContaining([]) });
    const ch = c.changes[0]!;
    expect(ch).toMatchObject({ type: 'threshold-changed', metric: 'monthly_active_users', from: 700_000_000, to: 500_000_000 });
    expect(ch.summary).toBe('Monthly active users threshold: 700,000,000 → 500,000,000');
    expect(ch.oldEvidence).toContain('700 million');
    expect(ch.newEvidence).toContain('500 million');
    expect(c.excerpt.hunks).toContain('[-700-]{+500+}');
  });

  it('a use added to the prohibited list of a use policy is a material clause change', () => {
    const c = pair('aup-use-added');
    expect(c.severity).toBe('material');
    expect(c.changes).toEqual([
      expect.objectContaining({ type: 'clause-changed', clause: 'field-of-use', summary: expect.stringContaining('consequential-decisions') }),
      expect.objectContaining({ type: 'provision-added', kinds: ['field-of-use'], summary: expect.stringMatching(/^New restriction in .*: make decisions about credit or employment\.$/) }),
    ]);
  });

  it('whitespace, case and markdown emphasis alone are cosmetic', () => {
    const c = pair('whitespace-only');
    expect(c.severity).toBe('cosmetic');
    expect(c.changes).toEqual([]);
  });

  it('a new contact address (a non-operative provision) is wording', () => {
    const c = pair('wording-only');
    expect(c.severity).toBe('wording');
    expect(c.changes).toEqual([]);
    expect(c.excerpt.hunks).toContain('[-legal-]{+licensing+}');
  });

  it('new words in an operative provision are material, and the change names its section', () => {
    const c = pair('operative-reworded');
    expect(c.severity).toBe('material');
    expect(c.changes).toEqual([
      expect.objectContaining({ type: 'provision-changed', section: '2', summary: expect.stringMatching(/^Changed permission in §2: /) }),
    ]);
    expect(c.changes[0]!.oldEvidence).toContain('grant in its sole discretion');
    expect(c.changes[0]!.newEvidence).toContain('grant or refuse at its sole discretion');
  });

  it('a moved operative provision is not a change; a negated permission is a polarity flip', () => {
    const base = 'LICENSE\n\n1. You may use the Model for research.\n\n2. You must keep this notice.\n\n3. You may redistribute copies.\n';
    const moved = 'LICENSE\n\n1. You must keep this notice.\n\n2. You may use the Model for research.\n\n3. You may redistribute copies.\n';
    expect(compare(base, moved).changes.filter((x) => x.type.startsWith('provision-'))).toEqual([]);
    const negated = base.replace('You may redistribute', 'You may not redistribute');
    const c = compare(base, negated);
    expect(c.severity).toBe('material');
    expect(c.changes.find((x) => x.type === 'provision-changed')).toMatchObject({ polarity: { from: 'permits', to: 'forbids' } });
  });

  it('a new derivative-name prefix is a material clause-changed', () => {
    const c = pair('naming-prefix-changed');
    expect(c.severity).toBe('material');
    expect(c.changes).toEqual([expect.objectContaining({ type: 'clause-changed', clause: 'naming', from: ['ACME 2'], to: ['ACME'] })]);
  });

  it('a new territorial exclusion is a material clause-added', () => {
    const c = pair('territory-added');
    expect(c.severity).toBe('material');
    expect(c.changes.map((x) => [x.type, x.clause])).toContainEqual(['clause-added', 'territory']);
  });

  it('a newly incorporated use policy is a material reference-added', () => {
    const c = pair('aup-reference-added');
    expect(c.severity).toBe('material');
    expect(c.changes).toContainEqual(expect.objectContaining({ type: 'reference-added', to: 'https://acme.example/acme/use-policy' }));
  });

  it('a switch from MIT to a non-commercial license changes the license and commercial use', () => {
    const c = compare(fixture('modified-mit/mit.txt'), fixture('non-commercial/license.txt'));
    const types = c.changes.map((x) => x.type);
    expect(c.severity).toBe('material');
    expect(types).toEqual(expect.arrayContaining(['license-changed', 'commercial-use-changed']));
    expect(c.changes.find((x) => x.type === 'commercial-use-changed')?.summary).toBe('Commercial use: allowed → non-commercial');
  });

  it('a changed model-card license field is material', () => {
    const card = fixture('model-card/README.md');
    const c = compare(card, card.replace('license: apache-2.0', 'license: other\nlicense_name: acme-community'));
    expect(c.severity).toBe('material');
    expect(c.changes.map((x) => x.type)).toContain('card-field-changed');
  });

  it('uses the facts it is given instead of recomputing them', () => {
    const oldText = fixture('threshold-lowered/old.txt');
    const facts = analyze(oldText);
    expect(compare(oldText, `${oldText} Extra words.`, facts, facts).severity).toBe('wording');
  });

  it('orders severities cosmetic < wording < material', () => {
    expect(severityAtLeast('material', 'wording')).toBe(true);
    expect(severityAtLeast('wording', 'material')).toBe(false);
    expect(severityAtLeast('cosmetic', 'cosmetic')).toBe(true);
  });
});

describe('bounded work on large inputs', () => {
  it('compares two unrelated 1 MB texts: every line differs, so the excerpt shows the first lines of both and says it was cut', () => {
    const big = (seed: number): string => {
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < 1_000_000; i++) {
        const line = `Line ${i * seed} of document ${seed}: the licensee ${seed % 2 ? 'may' : 'shall'} do thing ${(i * 7919 * seed) % 100_003}.`;
        lines.push(line);
        size += line.length + 1;
      }
      return lines.join('\n');
    };
    // How long it takes is measured in bench/terms.ts (npm run bench), not here.
    const c = compare(big(3), big(5));
    expect(c.severity).toBe('material');
    expect(c.excerpt).toMatchObject({ tooDifferent: false, truncated: true });
    expect(c.excerpt.hunks.length).toBeLessThan(4200);
    expect(c.excerpt.hunks).toMatch(/^@@ -1,\d+ \+1,\d+ @@\n-Line 0 of document 3/);
    expect(c.excerpt.hunks).toMatch(/\n-… \([\d,]+ more removed lines\)\n\+Line 0 of document 5.*\n(?:\+.*\n){11}\+… \([\d,]+ more added lines\)$/);
  }, 30_000);

  it('bounds the excerpt of many scattered changes and says it was cut', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `Clause ${i}: the licensee shall keep notice number ${i}.`);
    const changed = lines.map((l, i) => (i % 10 === 0 ? l.replace('keep', 'retain') : l));
    const c = compare(lines.join('\n'), changed.join('\n'));
    expect(c.excerpt.truncated).toBe(true);
    expect(c.excerpt.hunks.length).toBeLessThan(4200);
    expect(c.excerpt.hunks).toMatch(/more changed passages not shown/);
  });
});

describe('what changes in substance and what is wording', () => {
  const license = (extra: string): string =>
    `ORBIT DATA LICENSE\n\n1. Grant. Orbit grants you a non-exclusive license to use the Dataset for any purpose.\n\n2. Upkeep. ${extra}\n\n3. Termination. This license ends if you breach Section 1.\n`;

  it('a soft duty ("reasonable efforts", "encouraged to") added or dropped is wording; a hard duty is material', () => {
    const hard = license('Orbit may publish corrections. You must apply each correction within 30 days.');
    const soft = license('Orbit may publish corrections, and you shall use commercially reasonable efforts to apply each correction.');
    const none = license('Orbit may publish corrections.');
    expect(compare(soft, none).severity).toBe('wording');
    expect(compare(none, soft).severity).toBe('wording');
    expect(compare(none, license('Orbit may publish corrections. Users are encouraged to cite the Dataset in papers.')).severity).toBe('wording');
    expect(compare(none, license('Orbit may publish corrections. Licensee will use best endeavours to report errors to Orbit.')).severity).toBe('wording');
    // A hard duty joined to a soft one in the same sentence still counts.
    const joined = license('Orbit may publish corrections, and you shall use reasonable efforts to apply each correction.');
    expect(compare(joined, joined.replace('each correction.', 'each correction and you must delete superseded copies on request.')).severity).toBe('material');
    expect(compare(joined, joined.replace('each correction.', 'each correction, and shall not distribute superseded copies.')).severity).toBe('material');
    const c = compare(hard, none);
    expect(c.severity).toBe('material');
    expect(c.changes).toEqual([expect.objectContaining({ type: 'provision-removed', section: '2', summary: expect.stringContaining('apply each correction within 30 days') })]);
  });

  it('a typo in a modal ("shall" → "shlal") is wording, "shall" → "will" too; "shall" → "may" is material', () => {
    const base = 'RIVET TERMS\n\n"Rivet Kit" shall mean the files in this repository.\n\nThe Licensee shall keep every notice in each copy.\n';
    expect(compare(base, base.replace('"Rivet Kit" shall', '"Rivet Kit" shlal')).severity).toBe('wording');
    expect(compare(base, base.replace('Licensee shall keep', 'Licensee shlal keep')).severity).toBe('wording');
    expect(compare(base, base.replace('Licensee shall keep', 'Licensee will keep')).severity).toBe('wording');
    expect(compare(base, base.replace('Licensee shall keep', 'Licensee may keep')).severity).toBe('material');
  });

  it('a name replaced consistently throughout is wording; its law, a partial rename or an ordinary word replaced are material', () => {
    const v1 = 'MODEL LICENSE AGREEMENT\n\n1. Orbit Labs grants you a license to use the Orbit Model for any lawful purpose.\n\n2. You must keep the Orbit Model notice in every copy you distribute.\n\n3. Orbit Labs may terminate this license if you breach it.\n\n4. This license is governed by the laws of Germany.\n';
    const renamed = v1.replace(/Orbit/g, 'Nimbus');
    expect(compare(v1, renamed)).toMatchObject({ severity: 'wording', changes: [] });
    expect(compare(v1, renamed.replace('Germany', 'France')).changes.map((c) => c.type)).toEqual(['clause-changed', 'provision-changed']);
    expect(compare(v1, v1.replace('the Orbit Model for any', 'the Nimbus Model for any')).severity).toBe('material');
    expect(compare(v1, v1.replace(/lawful/g, 'military')).severity).toBe('material');
    // A word that is also written in lower case is an ordinary word, not a name.
    const common = v1.replace('for any lawful purpose', 'for any purpose of an orbit operator');
    expect(compare(common, common.replace(/Orbit/g, 'Nimbus').replace(/orbit/g, 'nimbus')).severity).toBe('material');
  });

  it('the same prohibition with another modal, or a party by its other name, is wording; a party swapped is material', () => {
    const base = 'KESTREL TERMS\n\nYou may not sell the Weights. Licensor may end this license if you sell them.\n\nYou must make separate arrangements for hosting.\n';
    expect(compare(base, base.replace('You may not sell', 'You must not sell')).severity).toBe('wording');
    expect(compare(base, base.replace('You may not sell', 'You cannot sell')).severity).toBe('wording');
    expect(compare(base, base.replace('You may not sell', 'Licensee shall not sell').replace('if you sell', 'if Licensee sells')).severity).toBe('wording');
    expect(compare(base, base.replace('Licensor may end', 'You may end')).severity).toBe('material');
    // Words that begin like a month ("separate", "decisions") are words.
    expect(compare(base, base.replace('separate arrangements', 'joint arrangements')).severity).toBe('material');
  });

  it('a prohibition split into list items, or merged into its lead-in, is wording; a new item is material', () => {
    const one = 'TOOLKIT TERMS\n\nYou will not use the Toolkit to send unsolicited bulk messages or to impersonate another person.\n';
    const split = 'TOOLKIT TERMS\n\nYou will not use the Toolkit:\n\n- send unsolicited bulk messages; or\n- impersonate another person.\n';
    expect(compare(one, split).severity).toBe('wording');
    expect(compare(split, one).severity).toBe('wording');
    const more = split.replace('another person.', 'another person; or\n- track the location of a person.');
    const c = compare(split, more);
    expect(c.severity).toBe('material');
    expect(c.changes.map((x) => x.type)).toContain('provision-added');
  });

  it('a bare URL turned into a Markdown link to itself is wording; another URL is material', () => {
    const bare = 'FORGE LICENSE\n\nYou must follow the Forge conduct rules at forge.dev/conduct-rules, which form part of this license.\n';
    const linked = bare.replace('forge.dev/conduct-rules', '[forge.dev/conduct\\_rules](https://forge.dev/conduct_rules)').replace(/conduct-rules/g, 'conduct_rules');
    const base = bare.replace(/conduct-rules/g, 'conduct_rules');
    expect(compare(base, linked).severity).toBe('wording');
    expect(compare(base, base.replace('conduct_rules', 'conduct_rules_v2')).severity).toBe('material');
  });

  it('a bound page behind an anchor link is still the page: another page is material, another anchor is wording', () => {
    const fees = 'FORGE LICENSE\n\nYou must pay the charges listed at https://forge.dev/price-terms#fees before you deploy the Model.\n';
    expect(compare(fees, fees.replace('price-terms#', 'price-terms-2027#')).severity).toBe('material');
    expect(compare(fees, fees.replace('#fees', '#charges')).severity).toBe('wording');
  });
});

describe('edits that turn a provision into its contrary', () => {
  const text = `HALCYON WEIGHTS AGREEMENT

1. Grant. Halcyon grants you a non-exclusive, revocable license to use the Weights, including for evaluation.

2. Outputs. Halcyon claims no rights in the images you generate. A fine-tuned checkpoint is not a Halcyon Release.

3. Indemnity. You will defend and hold harmless Halcyon against claims arising from your use.

4. Survival. Sections 2, 3 and 4 survive any termination of this agreement.

5. Restrictions. You will not, and will not permit any third party to
   a. use the Weights for mass surveillance, including research on surveillance;
   b. remove notices.
`;
  const sev = (from: string, to: string): string => compare(text, text.replace(from, to)).severity;

  it('a negating prefix or an opposite is never a typo fix', () => {
    expect(sev('non-exclusive, revocable', 'non-exclusive, irrevocable')).toBe('material');
    expect(sev('including for evaluation', 'excluding for evaluation')).toBe('material');
    expect(sev('including research on surveillance', 'excluding research on surveillance')).toBe('material');
    expect(sev('non-exclusive, revocable', 'non-exclusive, revokable')).toBe('wording');
  });

  it('a statement negated without a modal is material, in prose and in definitions', () => {
    expect(sev('Halcyon claims no rights in', 'Halcyon claims rights in')).toBe('material');
    expect(sev('is not a Halcyon Release', 'is a Halcyon Release')).toBe('material');
  });

  it('a set phrase with "not", "no" or "without" negates nothing: drafting style stays wording', () => {
    expect(sev('including for evaluation', 'including, without limitation, for evaluation')).toBe('wording');
    expect(sev('including for evaluation', 'including, but not limited to, for evaluation')).toBe('wording');
    expect(sev('A fine-tuned checkpoint is not a Halcyon Release.', 'A fine-tuned checkpoint, whether or not published, is not a Halcyon Release.')).toBe('wording');
    // The negation itself still counts when the phrase is there too.
    expect(sev('A fine-tuned checkpoint is not a Halcyon Release.', 'A fine-tuned checkpoint, whether or not published, is a Halcyon Release.')).toBe('material');
  });

  it('the parties of an obligation swapped is material; the same party by its other name is not', () => {
    expect(sev('You will defend and hold harmless Halcyon', 'Halcyon will defend and hold harmless you')).toBe('material');
    expect(sev('You will defend and hold harmless Halcyon', 'Licensee will defend and hold harmless Halcyon')).toBe('wording');
    // Without a modal: who grants what to whom.
    expect(sev('Halcyon grants you a non-exclusive', 'You grant Halcyon a non-exclusive')).toBe('material');
  });

  it('a coordinated subject in another order is the same parties', () => {
    const both = text.replace('3. Indemnity. You will defend', '3. Indemnity. You and Halcyon will each keep the other informed. You will defend');
    expect(compare(both, both.replace('You and Halcyon will each keep', 'Halcyon and you will each keep')).severity).toBe('wording');
    expect(compare(both, both.replace('You and Halcyon will each keep', 'Halcyon will keep')).severity).toBe('material');
  });

  it('a section dropped from a cross-reference list is material; the list renumbered is wording', () => {
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 2 and 4 survive')).toBe('material');
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 3, 4 and 5 survive')).toBe('wording');
    // Sub-parts belong to their section, and a range names every section in it.
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 2–4 survive')).toBe('wording');
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 2 through 4 survive')).toBe('wording');
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 2(a), 3 and 4(1) survive')).toBe('wording');
    expect(sev('Sections 2, 3 and 4 survive', 'Sections 2–3 survive')).toBe('material');
  });
});
