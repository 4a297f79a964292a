/**
 * Hostile-input benchmark: upstream texts built to make a backtracking regular expression or a recursive
 * parser go quadratic or overflow its stack. Each case is normalised, analysed, and compared with a copy of
 * itself that differs by one word; the figure is seconds per MB of input (target: under 1 s per MB).
 *
 * `runHostile()` is called by bench/run.ts; `node dist/bench/hostile.js` runs it alone.
 * BENCH_HOSTILE_BYTES sets the size of each input (default 1 MiB).
 */
import { pathToFileURL } from 'node:url';
import { normalizeDocument } from '../src/normalize/index.js';
import { analyze, compare } from '../src/terms/index.js';

export interface HostileRow {
  name: string;
  mb: number;
  /** Seconds per MB of input, or the error the step ended with (a refusal is a correct answer, not a failure). */
  normalize: number;
  analyze: number;
  compare: number;
  note?: string;
}

const TARGET_S_PER_MB = 1;

function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
}

/** The cases: name, media type, and a builder of about `bytes` bytes. */
export function hostileCases(bytes: number): { name: string; mediaType: string; text: string }[] {
  return [
    { name: 'run of spaces', mediaType: 'text/plain', text: 'LICENSE\n' + fill(' ', bytes) + 'x' },
    { name: 'run of tabs', mediaType: 'text/plain', text: 'LICENSE\n' + fill('\t', bytes) + 'x' },
    { name: 'run of NBSP', mediaType: 'text/plain', text: 'LICENSE\n' + fill('\u00A0', bytes) + 'x' },
    { name: 'spaces then newline, repeated', mediaType: 'text/plain', text: fill(' '.repeat(1000) + 'x\n', bytes) },
    { name: '"<a" repeated', mediaType: 'text/plain', text: fill('<a', bytes) },
    { name: '"<a" repeated, served as HTML', mediaType: 'text/html', text: fill('<a', bytes) },
    { name: '1 MB single line', mediaType: 'text/plain', text: fill('the Licensee may use and modify the Model for any purpose ', bytes) },
    { name: '100k parentheses', mediaType: 'text/plain', text: '('.repeat(100_000) + fill('a ', bytes - 200_000) + ')'.repeat(100_000) },
    { name: 'periods and spaces', mediaType: 'text/plain', text: fill('. ', bytes) },
    { name: '"?utm_" repeated in HTML', mediaType: 'text/html', text: `<p>${fill('?utm_', bytes)}</p>` },
    { name: 'HTML nested 20,000 deep', mediaType: 'text/html', text: '<div>'.repeat(20_000) + fill('terms ', bytes - 220_000) + '</div>'.repeat(20_000) },
    { name: 'plain text served as HTML', mediaType: 'text/html', text: fill('The Licensee may use the Model.\n', bytes) },
  ];
}

function timed(fn: () => unknown): { s: number; error?: string } {
  const t = performance.now();
  try {
    fn();
    return { s: (performance.now() - t) / 1000 };
  } catch (err) {
    return { s: (performance.now() - t) / 1000, error: `${(err as Error).name}: ${(err as Error).message}`.slice(0, 80) };
  }
}

export function runHostile(bytes = Number(process.env.BENCH_HOSTILE_BYTES ?? 2 ** 20)): HostileRow[] {
  const rows: HostileRow[] = [];
  for (const c of hostileCases(bytes)) {
    const mb = Buffer.byteLength(c.text) / 1e6;
    const raw = new TextEncoder().encode(c.text);
    let text = '';
    const n = timed(() => (text = normalizeDocument(raw, c.mediaType).text));
    const a = timed(() => analyze(text || c.text));
    const other = (text || c.text) + '\nThe Licensee must not use the Model.\n';
    const k = timed(() => compare(text || c.text, other));
    const note = [n.error && `normalise: ${n.error}`, a.error && `analyse: ${a.error}`, k.error && `compare: ${k.error}`].filter(Boolean).join('; ');
    rows.push({ name: c.name, mb, normalize: n.s / mb, analyze: a.s / mb, compare: k.s / mb, ...(note ? { note } : {}) });
  }
  return rows;
}

export function renderHostile(rows: HostileRow[]): string {
  const f = (x: number) => `${x.toFixed(3)} s/MB`;
  const lines = [
    'Hostile inputs (seconds per MB of input; target under 1 s/MB each):',
    '',
    '| input | size | normalise | analyse | compare (two files) | note |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.mb.toFixed(2)} MB | ${f(r.normalize)} | ${f(r.analyze)} | ${f(r.compare)} | ${r.note ?? ''} |`),
  ];
  return lines.join('\n');
}

export function hostileOk(rows: HostileRow[]): boolean {
  return rows.every((r) => r.normalize < TARGET_S_PER_MB && r.analyze < TARGET_S_PER_MB && r.compare < TARGET_S_PER_MB);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = runHostile();
  console.log(renderHostile(rows));
  console.log(hostileOk(rows) ? '\nHostile inputs: all under 1 s per MB.' : '\nHostile inputs: some case is over 1 s per MB.');
}
