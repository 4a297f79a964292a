import { describe, expect, it } from 'vitest';
import { render, type AlertItem } from '../src/notify/render.js';

// What an alert's subject leads with, and what "What changed" says when no term changed.

const doc = { locator: 'hf:LICENSE', role: 'license', url: 'https://huggingface.co/x/y/blob/main/LICENSE' };
const change = (over: Partial<Extract<AlertItem, { kind: 'change' }>>): AlertItem => ({
  kind: 'change',
  changeKind: 'text',
  severity: 'material',
  doc,
  summary: 'license changed (material)',
  facts: [{ type: 'threshold-changed', metric: 'monthly_active_users', from: 100e6, to: 70e6, summary: 'Monthly active users threshold: 100,000,000 → 70,000,000' }],
  from: { number: 1, sha256: 'a'.repeat(64), firstSeenAt: '2026-02-01T06:00:00.000Z' },
  to: { number: 2, sha256: 'b'.repeat(64), firstSeenAt: '2026-03-01T06:00:00.000Z' },
  detectedAt: '2026-03-01T06:00:00.000Z',
  ...over,
});
const subject = (item: AlertItem) => render({ key: 'k', target: '#c', model: { id: 'm', name: 'Model' }, items: [item] }).subject;

describe('alert subject', () => {
  it('leads with the change itself when the uses only gained a condition', () => {
    const lead = ['product-feature: new condition: stay within the threshold (60M of 70M monthly active users) ("If your products exceed 70 million …")'];
    expect(subject(change({ verdictLead: lead }))).toBe('MATERIAL · Model · LICENSE: monthly active users 100M → 70M');
  });

  it('leads with a use whose answer flipped, before any condition', () => {
    const lead = ['product-feature: new condition: keep the notices', 'hosted-api: yes → no since LICENSE version 2 (first seen 2026-03-01): hosting is forbidden'];
    expect(subject(change({ verdictLead: lead }))).toMatch(/^MATERIAL · Model · LICENSE: hosted-api: yes → no since LICENSE version 2/);
  });
});
