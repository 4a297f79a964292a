/** How the answers moved between two readings of a model's terms: the lines that lead a change's alert. */
import type { Verdict } from './uses-vocabulary.js';

const one = (s: string, max = 300) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/**
 * "hosted-api: yes → no since LICENSE version 3 (first seen 2026-…): <reason>" for each flipped use, then
 * "distribute-derivatives: new condition: <summary> ("<quote>")" for each condition a use gained. `since` names the
 * document version that moved them.
 */
export function verdictDelta(before: Verdict[], after: Verdict[], since: string): string[] {
  const was = new Map(before.map((v) => [v.use, v]));
  const flips: string[] = [];
  const added: string[] = [];
  for (const v of after) {
    const b = was.get(v.use);
    if (!b) continue;
    if (b.verdict !== v.verdict) {
      flips.push(`${v.use}: ${b.verdict} → ${v.verdict} since ${since}: ${one(v.reason)}`);
      continue;
    }
    const known = new Set(b.conditions.map((c) => `${c.kind}\u0000${c.summary}`));
    for (const c of v.conditions) {
      if (!known.has(`${c.kind}\u0000${c.summary}`)) added.push(`${v.use}: new condition: ${c.summary} ("${one(c.evidence.text, 200)}")`);
    }
  }
  return [...flips, ...added];
}
