import { describe, expect, it } from 'vitest';
import { analyze, findInconsistencies } from '../../src/terms/index.js';
import { fixture } from './helpers.js';

describe('cross-document consistency', () => {
  it('flags a card that says apache-2.0 over a LICENSE that is a custom non-commercial license', () => {
    const findings = findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(fixture('model-card/README.md'), { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(fixture('non-commercial/license.txt')) },
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'license-mismatch', documents: ['hf:README.md', 'hf:LICENSE'] });
    expect(findings[0]!.summary).toContain('non-commercial');
  });

  it('flags a card naming one version of a family over a LICENSE of another version', () => {
    const card = '---\nlicense: llama3.1\n---\n# Model\n';
    const findings = findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(card, { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(fixture('new-family-version/license.txt')) },
    ]);
    expect(findings.map((f) => f.kind)).toEqual(['license-version-mismatch']);
  });

  it('does not read a number that is part of the license\'s title as a second version', () => {
    // The card names the license by its title ("acme-model-5"); the LICENSE prints its own revision under the title.
    const card = '---\nlicense: other\nlicense_name: acme-model-5\n---\n# Model 5\n';
    const license = 'ACME MODEL 5 COMMUNITY LICENSE AGREEMENT\nVersion 2\n\n1. You may use, reproduce and distribute the Model materials, subject to this Agreement.\n';
    expect(findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(card, { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(license, { role: 'license' }) },
    ])).toEqual([]);
    // A card naming another revision of the same titled license still disagrees.
    const other = '---\nlicense: other\nlicense_name: acme-model-6\n---\n# Model\n';
    expect(findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(other, { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(license, { role: 'license' }) },
    ]).map((f) => f.kind)).not.toEqual([]);
  });

  it('finds nothing when the card and the LICENSE agree', () => {
    const card = '---\nlicense: mit\n---\n# Model\n';
    expect(findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(card, { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(fixture('modified-mit/mit.txt')) },
    ])).toEqual([]);
  });
});
