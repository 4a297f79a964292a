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

  it('finds nothing when the card and the LICENSE agree', () => {
    const card = '---\nlicense: mit\n---\n# Model\n';
    expect(findInconsistencies([
      { locator: 'hf:README.md', role: 'model-card', facts: analyze(card, { role: 'model-card' }) },
      { locator: 'hf:LICENSE', role: 'license', facts: analyze(fixture('modified-mit/mit.txt')) },
    ])).toEqual([]);
  });
});
