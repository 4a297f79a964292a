import { describe, expect, it } from 'vitest';
import { analyze, type Span } from '../../src/terms/index.js';
import { fixture } from './helpers.js';

function expectSpan(text: string, s: Span): void {
  expect(text.slice(s.start, s.end)).toBe(s.evidence);
}

describe('thresholds', () => {
  it('finds a monthly-active-user cap with its comparator, period, consequence and verbatim evidence', () => {
    const text = fixture('threshold-lowered/old.txt');
    const f = analyze(text);
    expect(f.thresholds).toHaveLength(1);
    const t = f.thresholds[0]!;
    expect(t).toMatchObject({ metric: 'monthly_active_users', value: 700_000_000, comparator: '>', period: 'preceding calendar month', consequence: 'must request a license' });
    expect(t.evidence).toContain('exceed 700 million monthly active users');
    expectSpan(text, t);
    expect(f.commercialUse).toBe('restricted');
  });

  it('finds an annual revenue cap in US dollars, and a registration duty makes commercial use restricted', () => {
    const text = fixture('revenue-cap/license.txt');
    const f = analyze(text);
    expect(f.thresholds.map((t) => [t.metric, t.value, t.currency, t.comparator])).toEqual([['annual_revenue', 1_000_000, 'USD', '>']]);
    expect(f.thresholds[0]!.consequence).toBe('the license terminates');
    expect(f.commercialUse).toBe('restricted');
    expect(f.effectiveDate).toBe('2024-07-05');
  });

  it('never takes section numbers, versions, dates, ages, notice periods, liability caps or parameter counts for thresholds', () => {
    expect(analyze(fixture('not-thresholds/license.txt')).thresholds).toEqual([]);
  });
});

describe('commercial use and clauses', () => {
  it('reads "solely for non-commercial research purposes" as non-commercial, with the prohibited uses', () => {
    const text = fixture('non-commercial/license.txt');
    const f = analyze(text);
    expect(f.commercialUse).toBe('non-commercial');
    const kinds = f.clauses.map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['non-commercial', 'field-of-use', 'license-termination']));
    expect(kinds).not.toContain('commercial-use');
    const fou = f.clauses.find((c) => c.kind === 'field-of-use')!;
    expect(fou.params?.uses).toContain('military');
    for (const c of f.clauses) expectSpan(text, c);
  });

  it('reads a plain grant without limits as commercial use allowed', () => {
    expect(analyze(fixture('modified-mit/mit.txt')).commercialUse).toBe('allowed');
  });

  it('extracts the name a derivative must begin with', () => {
    const f = analyze(fixture('naming-prefix-changed/old.txt'));
    const naming = f.clauses.find((c) => c.kind === 'naming')!;
    expect(naming.params).toEqual({ prefix: 'ACME 2' });
    expect(naming.summary).toBe('derivative model names must begin with "ACME 2"');
  });

  it('extracts excluded territories, and the governing law', () => {
    const f = analyze(fixture('territory-added/new.txt'));
    expect(f.clauses.find((c) => c.kind === 'territory')?.params).toEqual({ territories: ['European Union'] });
    const law = analyze(fixture('threshold-lowered/old.txt')).clauses.filter((c) => c.kind === 'governing-law');
    expect(law.map((c) => c.params?.law).filter(Boolean)).toEqual(['State of Delaware']);
  });

  it('reads a list item with the prohibition that introduces it', () => {
    const text = 'You agree not to use the Model:\n- to generate disinformation;\n- to use Outputs to train a model that is competitive with the Model.\n';
    const kinds = analyze(text).clauses.map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['field-of-use', 'output-use', 'competition']));
  });
});

describe('references and model cards', () => {
  it('keeps a use policy incorporated by reference, and not a registration form', () => {
    const text = fixture('revenue-cap/license.txt');
    const refs = analyze(text).references;
    expect(refs.map((r) => [r.url, r.role])).toEqual([['https://example.ai/use-policy', 'acceptable-use']]);
    expectSpan(text, refs[0]!);
  });

  it('keeps the license fields of model-card front matter, and names the declared license', () => {
    const text = fixture('model-card/README.md');
    const f = analyze(text, { role: 'model-card' });
    expect(f.card).toEqual({ license: 'apache-2.0', base_model: 'acme/acme-base', gated: true, extra_gated_prompt: 'You agree to the ACME license.' });
    expect(f.license).toMatchObject({ id: 'Apache-2.0', spdx: 'Apache-2.0', family: 'permissive', matcher: 'front-matter' });
  });
});

describe('language seen in other model licenses', () => {
  it('reads a shouted territorial exclusion with its regions', () => {
    const f = analyze(fixture('territory-shouted/license.txt'));
    expect(f.clauses.find((c) => c.kind === 'territory')?.params).toEqual({ territories: ['European Union', 'South Korea'] });
  });

  it('reads "only use ... for Research Purposes" as non-commercial', () => {
    const f = analyze(fixture('research-only/license.txt'));
    expect(f.commercialUse).toBe('non-commercial');
    expect(f.license?.family).toBe('non-commercial');
  });

  it('finds a daily-active-user cap named before the number, under a "License for ..." title', () => {
    const f = analyze(fixture('daily-users-cap/license.txt'));
    expect(f.thresholds.map((t) => [t.metric, t.value, t.comparator])).toEqual([['daily_active_users', 1_000_000, '>']]);
    expect(f.license?.id).toBe('community-license-for-example-2-model');
    expect(f.commercialUse).toBe('restricted');
  });
});

describe('what is not a non-commercial limit', () => {
  it('an option "allowed only for noncommercial distribution" does not make the whole license non-commercial', () => {
    const text = 'Permission is hereby granted to copy and distribute the Program. (This alternative is allowed only for noncommercial distribution and only if you received the program in object code.)';
    const f = analyze(text);
    expect(f.clauses.map((c) => c.kind)).not.toContain('non-commercial');
    expect(f.commercialUse).toBe('allowed');
  });

  it('"commercial or non-commercial use" names both, so neither is excluded', () => {
    const text = 'The licensor grants you a license. You may not impose any further restriction on commercial or non-commercial use of the data.';
    expect(analyze(text).commercialUse).toBe('allowed');
  });

  it('a definition of "Personal Use" is not a limit on the license', () => {
    const text = 'The licensor grants you a license. 1.1 "Personal Use" means use by an individual solely for his or her personal, private and non-commercial purposes.';
    expect(analyze(text).commercialUse).toBe('allowed');
  });
});

describe('commercial use after authorization', () => {
  it('"may not be used for commercial purposes without prior written permission" is restricted, not non-commercial', () => {
    const text = 'The Licensor grants you a license to use the Model. The Model may not be used for commercial purposes without the prior written permission of the Licensor.';
    const f = analyze(text);
    expect(f.commercialUse).toBe('restricted');
    expect(f.clauses.find((c) => c.kind === 'commercial-use')?.rule).toBe('commercial-by-authorization');
  });

  it('a trademark clause mentioning commercial use does not restrict the license', () => {
    const text = 'The Licensor grants you a license to use the Model. You may not use the Licensor trademarks in commercial products.';
    expect(analyze(text).commercialUse).toBe('allowed');
  });
});

describe('commercial use in other words', () => {
  const kinds = (text: string): string[] => analyze(text).clauses.map((c) => c.kind);

  it('"commercially usable", "may be used commercially" and a grant that lists selling permit commercial use', () => {
    expect(kinds('The checkpoints are commercially usable, subject to this Agreement.')).toContain('commercial-use');
    expect(kinds('Derivatives may be deployed commercially by the Licensee.')).toContain('commercial-use');
    expect(kinds('Kestrel grants you a worldwide license to reproduce, modify, make, have made, sell, offer for sale and import the Weights.')).toContain('commercial-use');
    expect(kinds('The Weights must not be used commercially.')).not.toContain('commercial-use');
    expect(kinds('You shall use commercially reasonable efforts to keep the Weights secure.')).not.toContain('commercial-use');
    // "commercially" describing something else (a dataset on sale, a licensed tool) permits nothing.
    expect(kinds('The Weights were trained using commercially available datasets.')).not.toContain('commercial-use');
    expect(kinds('Kestrel used commercially licensed tooling to prepare the Weights.')).not.toContain('commercial-use');
  });

  it('a numbered section after a numbered prohibiting lead-in is the next section, not one of its items', () => {
    const text = 'KESTREL LICENSE\n\n1. Kestrel grants you a license to use the Weights.\n\n2. You will not, and will not permit anyone to:\n   a. use the Weights to harm minors;\n   b. remove notices.\n\n3. You may use the Weights for commercial purposes.\n';
    expect(kinds(text)).toContain('commercial-use');
    // Its own items still inherit the prohibition.
    expect(kinds(text.replace('b. remove notices.', 'b. use the Weights for commercial purposes.').replace('3. You may use the Weights for commercial purposes.', '3. Notices.'))).not.toContain('commercial-use');
  });

  it('an item of a list whose lead-in prohibits is no permission, nor is a sentence that "expressly prohibits" it', () => {
    const list = 'Kestrel grants you a license to use the Weights for research.\n\nYou will not, and will not allow anyone to:\n\n(a) use the Weights in any commercial product or for commercial purposes;\n(b) remove notices.\n';
    expect(kinds(list)).not.toContain('commercial-use');
    expect(analyze(list).commercialUse).toBe('non-commercial');
    expect(kinds('4.2 Commercial Purposes: The Recipient is expressly prohibited from any commercial use of the Weights.')).not.toContain('commercial-use');
  });

  it('commercial use open to registered users, or after registration, is restricted', () => {
    const grant = 'Kestrel grants you a license to use the Weights for academic research free of charge. ';
    expect(analyze(`${grant}Those who want to use the Weights for business should fill in the form.\nRegistered developers may freely use the Weights for commercial activities.`).commercialUse).toBe('restricted');
    expect(analyze(`${grant}Commercial use is allowed once you complete registration with Kestrel.`).commercialUse).toBe('restricted');
    expect(analyze(`${grant}Commercial use is allowed.`).commercialUse).toBe('allowed');
  });
});

describe('naming, acknowledgement and distribution under the same terms, in other words', () => {
  const clause = (text: string, kind: string) => analyze(text).clauses.find((c) => c.kind === kind);

  it('a derivative that must carry a name: "include "X" in its name", "add "X" to the beginning of the model name"', () => {
    expect(clause('If you fine-tune the Heron models, the resulting model must include "Heron" in its name.', 'naming')?.params).toEqual({ prefix: 'Heron' });
    expect(clause('Anyone improving a model with Heron outputs should also add "Heron-X" to the beginning of any such model name.', 'naming')?.params).toEqual({ prefix: 'Heron-X' });
    expect(clause('You may name your model as you like, for example "Heron" or anything else.', 'naming')).toBeUndefined();
  });

  it('acknowledging the use in publications, or giving appropriate attribution, is attribution', () => {
    expect(clause('If you publish results obtained with the Kit, you must acknowledge the use of the Kit in your paper.', 'attribution')).toBeDefined();
    expect(clause('The Recipient shall provide appropriate credit to Heron Labs, citing the release name.', 'attribution')).toBeDefined();
    expect(clause('You need not acknowledge anything; Heron Labs does not require credit.', 'attribution')).toBeUndefined();
  });

  it('"If You Share the Licensed Material" (a license that calls distributing "Share") sets redistribution terms', () => {
    expect(clause('If You Share the Adapted Material You produce, You must keep the notices intact.', 'redistribution')).toBeDefined();
    expect(clause('We share our views on model safety in a separate blog post.', 'redistribution')).toBeUndefined();
  });

  it('"derivative works … may only be distributed under the terms of this Agreement" is share-alike', () => {
    expect(clause('If you redistribute the Kit or any derivative works of it to others, you may only do so under the terms of this Agreement.', 'share-alike')).toBeDefined();
    expect(clause('You may distribute derivative works under terms of your choice.', 'share-alike')).toBeUndefined();
  });
});

describe('sanctions, public services and outputs, in other words', () => {
  const kinds = (text: string): string[] => analyze(text).clauses.map((c) => c.kind);

  it('no use from sanctioned or embargoed jurisdictions is a territory clause; a mention of sanctions law is not', () => {
    expect(kinds('You will not:\n\n1. access the Weights if you are located in a comprehensively sanctioned jurisdiction;\n2. remove notices.\n')).toContain('territory');
    expect(kinds('The Licensee shall not use the Weights from any embargoed country.')).toContain('territory');
    expect(kinds('You must comply with sanctions laws that apply to you.')).not.toContain('territory');
  });

  it('"undertake not to … provide services to the general public within <region>" limits hosting and territory', () => {
    const k = kinds('You undertake not to use the Kit, directly or indirectly, to provide services to the general public within the territory of Japan.');
    expect(k).toEqual(expect.arrayContaining(['territory', 'hosted-service']));
  });

  it('outputs kept out of commercial use are an output-use clause; outputs free for any use are not', () => {
    expect(kinds('You will not, and will not permit anyone to:\n\na. use the Kit or any outputs or results of the Kit in connection with any commercial purposes;\n')).toContain('output-use');
    expect(kinds('You may use outputs of the Kit for commercial or non-commercial purposes.')).not.toContain('output-use');
  });
});

describe('grants and purposes in the words of short permissive and non-commercial licenses', () => {
  it('"Permission is granted to anyone", "anyone is free to use", "licenses you to" grant; commercial use named among any purpose is allowed', () => {
    expect(analyze('Permission is granted to anyone to use this dataset for any purpose, including commercial products.').commercialUse).toBe('allowed');
    expect(analyze('Anyone is free to copy and use these weights for any purpose, commercial or non-commercial.').commercialUse).toBe('allowed');
    expect(analyze('Each author licenses you to do anything with this model that copyright would otherwise forbid.').commercialUse).toBe('allowed');
    expect(analyze('Permission is granted to anyone to use this dataset for any purpose, including commercial products.').clauses.map((c) => c.kind)).toContain('commercial-use');
  });

  it('"Any noncommercial purpose is a permitted purpose" limits use to non-commercial purposes', () => {
    const text = 'The licensor grants you a license to use the model for any permitted purpose.\n\nAny noncommercial purpose is a permitted purpose.\n';
    expect(analyze(text).commercialUse).toBe('non-commercial');
    expect(analyze('The licensor grants you a license to use the model for any purpose.').commercialUse).toBe('allowed');
  });
});

describe('territory and research-only limits in other shapes', () => {
  it('"worldwide (excluding the United Kingdom)" excludes a territory', () => {
    const f = analyze('Halcyon grants you a perpetual, worldwide (excluding the United Kingdom and Japan), non-exclusive license to use the Weights.');
    expect(f.clauses.find((c) => c.kind === 'territory')?.params).toEqual({ territories: ['Japan', 'United Kingdom'] });
  });

  it('"usable for non-commercial research only" is non-commercial', () => {
    expect(analyze('Halcyon grants you a license to use the Weights. The Weights are usable for non-commercial research only.').commercialUse).toBe('non-commercial');
  });
});
