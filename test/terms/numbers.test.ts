import { describe, expect, it } from 'vitest';
import { findAmounts, parseAmount } from '../../src/terms/index.js';

describe('amounts as licenses write them', () => {
  it('reads "700 million" as 700,000,000', () => {
    expect(parseAmount('greater than 700 million monthly active users')?.value).toBe(700_000_000);
  });
  it('reads "USD $1,000,000" as 1,000,000 US dollars', () => {
    expect(parseAmount('more than USD $1,000,000 in annual revenue')).toMatchObject({ value: 1_000_000, currency: 'USD' });
  });
  it('reads "US$10M" as 10,000,000 US dollars', () => {
    expect(parseAmount('revenue above US$10M per year')).toMatchObject({ value: 10_000_000, currency: 'USD' });
  });
  it('reads decimals with a scale word: "1.5 billion"', () => {
    expect(parseAmount('1.5 billion users')?.value).toBe(1_500_000_000);
  });
  it('reads number words only with a scale: "seven hundred million", never a bare "one"', () => {
    expect(parseAmount('seven hundred million users')?.value).toBe(700_000_000);
    expect(findAmounts('one of the users')).toEqual([]);
  });
  it('gives offsets that point at the amount in the sentence', () => {
    const s = 'exceeds 1 million visits per month';
    const a = parseAmount(s)!;
    expect(s.slice(a.start, a.end)).toBe('1 million');
  });
});
