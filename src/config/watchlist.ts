import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { watchlistSchema, type Watchlist } from './schema.js';

export interface WatchlistProblem {
  line: number;
  col: number;
  message: string;
}

/** A watchlist that cannot be used; every problem carries its position in the file. */
export class WatchlistError extends Error {
  readonly retryable = false;
  constructor(
    readonly file: string,
    readonly problems: WatchlistProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`).join('\n'));
    this.name = 'WatchlistError';
  }
}

export function loadWatchlist(file: string, cwd = process.cwd()): Watchlist {
  const shown = displayPath(file, cwd);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WatchlistError(shown, [{ line: 1, col: 1, message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }]);
  }
  return parseWatchlist(source, shown);
}

export function parseWatchlist(source: string, file = 'watchlist.yaml'): Watchlist {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new WatchlistError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { line: pos.line, col: pos.col, message: `YAML: ${firstLine(e.message)}` };
      }),
    );
  }
  const data = doc.toJS() ?? {};
  const result = watchlistSchema.safeParse(data);
  if (result.success) return withDeclaredDefaults(result.data);
  const problems = result.error.issues.map((issue) => locateIssue(doc, lineCounter, issue));
  problems.sort((a, b) => a.line - b.line || a.col - b.col);
  throw new WatchlistError(file, problems);
}

/** A model that declares no uses or regions inherits those of `defaults`, so every reader sees one answer. */
function withDeclaredDefaults(w: Watchlist): Watchlist {
  const { uses, regions } = w.defaults;
  if (!uses && !regions) return w;
  return { ...w, models: w.models.map((m) => ({ ...m, ...(m.uses || !uses ? {} : { uses }), ...(m.regions || !regions ? {} : { regions }) })) };
}

function locateIssue(doc: Document, lc: LineCounter, issue: z.core.$ZodIssue): WatchlistProblem {
  const where = formatPath(issue.path);
  let offset = 0;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const parent = nodeAt(doc, issue.path);
    const pair = parent && isMap(parent) ? parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) : undefined;
    offset = (pair && isPair(pair) && isScalar(pair.key) ? pair.key.range?.[0] : parent?.range?.[0]) ?? 0;
    message = `unknown key "${issue.keys.join('", "')}"`;
  } else {
    offset = nodeAt(doc, issue.path)?.range?.[0] ?? 0;
    if (issue.code === 'invalid_type' && isMissing(doc, issue.path)) message = 'is required';
    else if (issue.code === 'invalid_format' || issue.code === 'too_small' || issue.code === 'invalid_value') {
      const value = valueAt(doc, issue.path);
      if (value !== undefined && typeof value !== 'object') message = `${JSON.stringify(value)}: ${message}`;
    }
  }
  const pos = lc.linePos(offset);
  return { line: pos.line, col: pos.col, message: where ? `${where}: ${message}` : message };
}

/** The deepest node that exists along the path (a missing key points at its parent map). */
function nodeAt(doc: Document, p: PropertyKey[]): Node | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return doc.contents ?? undefined;
}

function isMissing(doc: Document, p: PropertyKey[]): boolean {
  return !doc.hasIn(p as unknown[]);
}

function valueAt(doc: Document, p: PropertyKey[]): unknown {
  return doc.getIn(p as unknown[]);
}

function formatPath(p: PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
