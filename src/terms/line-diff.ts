/**
 * Line-level hunks of two texts, as jsdiff's `structuredPatch` gives them, computed fast on large rewrites:
 *   1. lines that occur once in each text anchor the alignment (patience diff), so unrelated regions are never
 *      compared line against line across the whole text;
 *   2. between two anchors, a line that occurs on one side only can be no part of a common subsequence: it is
 *      set aside (GNU diff's "discard" step) and the Myers diff (jsdiff) aligns only the lines both sides share.
 * Bounded in time: past `timeoutMs` the texts are "too different".
 */
import { diffArrays } from 'diff';

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

interface Run {
  kind: 'equal' | 'removed' | 'added';
  lines: string[];
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Windows line ends are not a change a reader sees.
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Positions of a longest increasing subsequence of `xs` (patience sorting, O(n log n)). */
function increasing(xs: number[]): number[] {
  const tails: number[] = []; // index into xs of the smallest tail of each length
  const prev = new Int32Array(xs.length).fill(-1);
  for (let k = 0; k < xs.length; k++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < xs[k]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const out: number[] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = prev[k]!) out.push(k);
  return out.reverse();
}

/**
 * The runs of equal, removed and added lines; null when the diff takes longer than `timeoutMs`.
 * Lines that occur once in each text are aligned first (patience diff: the longest run of them in the same
 * order); the Myers diff then runs only between two such anchors, on the lines both sides of that gap share.
 */
function lineRuns(a: string[], b: string[], timeoutMs: number): Run[] | null {
  const deadline = Date.now() + timeoutMs;
  const ids = new Map<string, number>();
  const idsOf = (lines: string[]): Int32Array => {
    const out = new Int32Array(lines.length);
    lines.forEach((l, i) => {
      let id = ids.get(l);
      if (id === undefined) ids.set(l, (id = ids.size));
      out[i] = id;
    });
    return out;
  };
  const ia = idsOf(a);
  const ib = idsOf(b);
  const countA = new Int32Array(ids.size);
  const countB = new Int32Array(ids.size);
  const posB = new Int32Array(ids.size);
  for (const id of ia) countA[id]!++;
  ib.forEach((id, j) => { countB[id]!++; posB[id] = j; });
  const pairsA: number[] = [];
  const pairsB: number[] = [];
  ia.forEach((id, i) => {
    if (countA[id] === 1 && countB[id] === 1) { pairsA.push(i); pairsB.push(posB[id]!); }
  });
  const anchors = increasing(pairsB).map((k) => [pairsA[k]!, pairsB[k]!] as const);

  const runs: Run[] = [];
  const push = (kind: Run['kind'], lines: string[]): void => {
    if (lines.length === 0) return;
    const last = runs[runs.length - 1];
    if (last && last.kind === kind) last.lines.push(...lines);
    else runs.push({ kind, lines: [...lines] });
  };
  // One gap: a[aLo, aHi) against b[bLo, bHi).
  const gap = (aLo: number, aHi: number, bLo: number, bHi: number): boolean => {
    if (aLo === aHi || bLo === bHi) {
      push('removed', a.slice(aLo, aHi));
      push('added', b.slice(bLo, bHi));
      return true;
    }
    const inA = new Set(ia.subarray(aLo, aHi));
    const inB = new Set(ib.subarray(bLo, bHi));
    const keptA: number[] = [];
    const keptB: number[] = [];
    for (let i = aLo; i < aHi; i++) if (inB.has(ia[i]!)) keptA.push(i);
    for (let j = bLo; j < bHi; j++) if (inA.has(ib[j]!)) keptB.push(j);
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const changes = keptA.length && keptB.length ? diffArrays(keptA.map((i) => ia[i]!), keptB.map((j) => ib[j]!), { timeout: left }) : [];
    if (!changes) return false;
    let pa = aLo; // next line of `a` not yet emitted
    let pb = bLo;
    let ka = 0; // next kept line of `a` not yet consumed
    let kb = 0;
    for (const c of changes) {
      const n = c.count ?? c.value.length;
      if (c.removed) { ka += n; continue; }
      if (c.added) { kb += n; continue; }
      for (let k = 0; k < n; k++) {
        const i = keptA[ka++]!;
        const j = keptB[kb++]!;
        push('removed', a.slice(pa, i));
        push('added', b.slice(pb, j));
        push('equal', [a[i]!]);
        pa = i + 1;
        pb = j + 1;
      }
    }
    push('removed', a.slice(pa, aHi));
    push('added', b.slice(pb, bHi));
    return true;
  };
  let pa = 0;
  let pb = 0;
  for (const [i, j] of anchors) {
    if (!gap(pa, i, pb, j)) return null;
    push('equal', [a[i]!]);
    pa = i + 1;
    pb = j + 1;
  }
  return gap(pa, a.length, pb, b.length) ? runs : null;
}

/** Hunks with `context` lines around each change, merged when their contexts touch (as `structuredPatch` does). */
export function lineHunks(oldText: string, newText: string, context: number, timeoutMs: number): Hunk[] | null {
  const runs = lineRuns(splitLines(oldText), splitLines(newText), timeoutMs);
  if (!runs) return null;
  const hunks: Hunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let oldStart = 0;
  let newStart = 0;
  let cur: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    if (r.kind !== 'equal') {
      if (!oldStart) {
        const prev = runs[i - 1];
        const before = prev && context > 0 ? prev.lines.slice(-context) : [];
        oldStart = oldLine - before.length;
        newStart = newLine - before.length;
        cur = before.map((l) => ` ${l}`);
      }
      for (const l of r.lines) cur.push(`${r.kind === 'added' ? '+' : '-'}${l}`);
      if (r.kind === 'added') newLine += r.lines.length;
      else oldLine += r.lines.length;
      continue;
    }
    if (oldStart) {
      if (r.lines.length <= context * 2 && i < runs.length - 1) {
        for (const l of r.lines) cur.push(` ${l}`);
      } else {
        const after = r.lines.slice(0, Math.min(r.lines.length, context));
        for (const l of after) cur.push(` ${l}`);
        hunks.push({ oldStart, oldLines: oldLine - oldStart + after.length, newStart, newLines: newLine - newStart + after.length, lines: cur });
        oldStart = 0;
        newStart = 0;
        cur = [];
      }
    }
    oldLine += r.lines.length;
    newLine += r.lines.length;
  }
  if (oldStart) hunks.push({ oldStart, oldLines: oldLine - oldStart, newStart, newLines: newLine - newStart, lines: cur });
  return hunks;
}
