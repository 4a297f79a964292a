import { describe, expect, it } from 'vitest';
import { analyze, identify } from '../../src/terms/index.js';
import { fixture } from './helpers.js';

describe('naming the license', () => {
  it('names the MIT text by its SPDX id through the Dice matcher, as permissive', () => {
    const l = analyze(fixture('modified-mit/mit.txt')).license!;
    expect(l).toMatchObject({ id: 'MIT', spdx: 'MIT', family: 'permissive' });
    expect(l.matcher).toMatch(/^spdx-/);
    expect(l.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('reports MIT with an added use restriction as a modified MIT, never as SPDX MIT', () => {
    const l = analyze(fixture('modified-mit/license.txt')).license!;
    expect(l.spdx).toBeNull();
    expect(l.id).toBe('MIT-modified');
    expect(l.matcher).toBe('spdx-near');
    expect(l.family).toBe('permissive');
  });

  it('recognises a new release of a known family ("Llama 3.4") with its own version', () => {
    const f = analyze(fixture('new-family-version/license.txt'));
    expect(f.license).toMatchObject({ id: 'llama-3.4-community', family: 'custom', version: '3.4', matcher: 'catalog-title' });
    expect(f.version).toBe('3.4');
    expect(f.effectiveDate).toBe('2026-03-03');
  });

  it('names an unknown titled license from its title, and derives its family from its terms', () => {
    const f = analyze(fixture('non-commercial/license.txt'));
    expect(f.license).toMatchObject({ id: 'example-vision-model-non-commercial-license', family: 'non-commercial', matcher: 'title' });
  });

  it('answers null rather than guessing when the text neither names nor grants anything', () => {
    expect(identify('Hello world. This is a README with no terms at all.', 'unknown')).toBeNull();
  });
});

describe('the version under a title', () => {
  it('is read past a "Last updated" line, and not from a sentence further down', () => {
    const under = 'Gemma Terms of Use\n\nVersion 3.1, issued by Google\n\nGoogle grants you a license to use Gemma.\n';
    const dated = under.replace('\n\nVersion', '\n\nLast updated: March 3, 2031\n\nVersion');
    expect(analyze(under)).toMatchObject({ version: '3.1', license: { id: 'gemma-terms-of-use', matcher: 'catalog-title' } });
    expect(analyze(dated)).toMatchObject({ version: '3.1', license: { id: 'gemma-terms-of-use', matcher: 'catalog-title' } });
    const sentence = 'Gemma Terms of Use\n\nGoogle grants you a license to use Gemma.\n\nYou may use it. See version 9.9 of the manual.\n';
    expect(analyze(sentence).version).toBeNull();
  });
});
