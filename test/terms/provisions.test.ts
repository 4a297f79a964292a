import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/terms/index.js';

const TEXT = `# Example Model License v1.0

## 1. Grant of Rights
Licensor hereby grants you a non-exclusive, worldwide, royalty-free license to use the Model.

## 4. Restrictions
You agree not to use the Model:
- to generate spam or malware;
- for military purposes.
The rights granted herein do not apply in the European Union.
You must include a copy of this Agreement when you redistribute the Model, within 30 days.

## Contact
Questions: legal@example.com, 1 Main Street, Springfield.
Last updated: March 3, 2025
`;

describe('provisions', () => {
  const f = analyze(TEXT);
  const ps = f.provisions!;
  const find = (s: string) => ps.find((p) => p.evidence.includes(s))!;

  it('splits headings from the sentences under them and gives each provision its section', () => {
    expect(find('## 4. Restrictions')).toMatchObject({ role: 'heading', operative: false, section: '4' });
    expect(find('do not apply in')).toMatchObject({ section: '4', heading: '4. Restrictions', operative: true });
    expect(find('hereby grants')).toMatchObject({ section: '1', polarity: 'permits' });
    for (const p of ps) expect(TEXT.slice(p.start, p.end)).toBe(p.evidence);
  });

  it('reads list items with their lead-in: polarity, kinds and the prohibited use in its own words', () => {
    const spam = find('to generate spam');
    expect(spam.lead).toBe('You agree not to use the Model:');
    expect(spam.polarity).toBe('forbids');
    expect(spam.params.uses).toEqual(['generate spam or malware']);
    expect(find('military purposes').kinds).toContain('field-of-use');
  });

  it('gives territory, obligation and duration parameters', () => {
    expect(find('do not apply in')).toMatchObject({ polarity: 'forbids', kinds: ['territory'], params: { territories: ['European Union'] } });
    const dur = find('within 30 days');
    expect(dur.polarity).toBe('requires');
    expect(dur.params.durations).toEqual(['30 day']);
  });

  it('contact details and dates are not operative', () => {
    expect(find('legal@example.com')).toMatchObject({ operative: false, role: 'contact' });
    expect(find('Last updated')).toMatchObject({ operative: false, role: 'date' });
  });
});
