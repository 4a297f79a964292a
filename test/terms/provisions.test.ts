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

describe('provisions in nested lists, lettered items and links to anchors', () => {
  const text = `HARBOR SERVICE TERMS

You must not use the Service to:
1. Break the law, including to:
   a. Traffic in stolen goods;
   b. Evade sanctions.
2. Send bulk messages.

You may share the Output provided that you meet these conditions:
(a) keep this notice;
(b) mark your changes;
(c) Credit Harbor in the interface.

(c) 2031 Harbor Labs

"Harbor Models" means the models listed in the [Annex](https://harbor.dev/terms#annex).
"Harbor Rules" means the rules at https://harbor.dev/rules.
`;
  const ps = analyze(text).provisions!;
  const find = (s: string) => ps.find((p) => p.evidence.includes(s))!;

  it('an item of a nested list forbids what the outer list forbids', () => {
    expect(find('Traffic in stolen goods')).toMatchObject({ operative: true, polarity: 'forbids', lead: '1. Break the law, including to:' });
    expect(find('Evade sanctions')).toMatchObject({ operative: true, polarity: 'forbids' });
  });

  it('"(c)" opening a list item is the third item, "(c) 2031 Harbor Labs" a copyright line', () => {
    expect(find('Credit Harbor')).toMatchObject({ operative: true, role: 'operative' });
    expect(find('2031 Harbor Labs')).toMatchObject({ operative: false });
  });

  it('a definition that links to an anchor of a page is a cross-reference; one that names a page binds', () => {
    expect(find('listed in the [Annex]')).toMatchObject({ operative: false, role: 'definition' });
    expect(find('rules at https://harbor.dev/rules')).toMatchObject({ operative: true, params: { urls: ['https://harbor.dev/rules'] } });
  });
});

describe('lead-ins without a colon, and lines that are no section', () => {
  it('"… will not permit any third party to" leads the items under it', () => {
    const ps = analyze('You will not, and will not permit any third party to\n  a. resell the Weights;\n  b. remove notices.\n').provisions!;
    expect(ps.find((p) => p.evidence.includes('resell'))).toMatchObject({ operative: true, polarity: 'forbids' });
  });

  it('a date line or "All Rights Reserved." under a title never labels the provisions after it', () => {
    const ps = analyze('HALCYON LICENSE\n\nLast Modified: May 2, 2031\n\nAll Rights Reserved.\n\nYou may not resell the Weights.\n').provisions!;
    expect(ps.find((p) => p.evidence.includes('resell'))!.section).toBe('HALCYON LICENSE');
  });
});
