import { describe, expect, it } from 'vitest';
import { render, type AlertItem } from '../src/notify/render.js';
import { slackPayload } from '../src/notify/slack.js';

const doc = { locator: 'hf:LICENSE', role: 'license', url: 'https://huggingface.co/x/y/blob/main/LICENSE' };

function hugeChange(i: number): AlertItem {
  const passage = Array.from({ length: 400 }, (_, n) => `~clause ${n}: [-old & <b>-]{+new <!here>+} ${'words '.repeat(20)}`).join('\n');
  return {
    kind: 'change',
    changeKind: 'text',
    severity: 'material',
    doc: { ...doc, locator: `hf:DOC${i}` },
    summary: 'license changed',
    facts: Array.from({ length: 8 }, (_, n) => ({ type: 'clause-added' as const, summary: `New clause ${n}: ${'x'.repeat(200)}` })),
    excerpt: { hunks: passage, truncated: true },
    from: { number: 1, sha256: 'a'.repeat(64), firstSeenAt: '2026-02-01T06:00:00.000Z' },
    to: { number: 2, sha256: 'b'.repeat(64), firstSeenAt: '2026-03-01T06:00:00.000Z' },
    detectedAt: '2026-03-01T06:00:00.000Z',
  };
}

describe('Slack payload limits', () => {
  it('a huge change stays within 50 blocks, 3000 characters per section and a 150-character header, all escaped', () => {
    const alert = render({ key: 'k', target: '#c', model: { id: 'm', name: 'M'.repeat(200) }, items: [hugeChange(1), hugeChange(2), hugeChange(3)] });
    const { text, blocks } = slackPayload(alert);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const texts = blocks.map((b) => (b.text as { text: string } | undefined)?.text ?? '');
    expect(Math.max(...texts.map((t) => t.length))).toBeLessThanOrEqual(3000);
    expect(texts[0]!.length).toBeLessThanOrEqual(150);
    // Slack also refuses messages far below 50 full blocks (msg_blocks_too_long around 13k characters).
    expect(texts.join('\n').length).toBeLessThan(12_500);
    expect(texts.at(-2)).toMatch(/block\(s\) left out to fit Slack's limits/);
    const all = JSON.stringify({ text, blocks });
    expect(all).not.toMatch(/<!here>|<b>/);
    expect(all).toContain('&lt;!here&gt;');
    expect(all).toContain('termdrift diff m --doc hf:DOC3');
    // No escape sequence is cut in half at a chunk boundary.
    for (const t of texts) expect(t).not.toMatch(/&(?:a|am|l|g|lt|gt)?$/);
  });
});
