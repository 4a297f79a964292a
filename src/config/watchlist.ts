import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type * as z from 'zod';
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
    source = decodeWatchlist(readFileSync(file), shown);
  } catch (err) {
    if (err instanceof WatchlistError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new WatchlistError(shown, [{ line: 1, col: 1, message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}` }]);
  }
  return parseWatchlist(source, shown);
}

/**
 * The file's bytes as text, refusing anything that is not UTF-8 (a Latin-1 URL read with U+FFFD in it would
 * be watched at the wrong address) with the line and column of the first bad byte.
 */
export function decodeWatchlist(bytes: Uint8Array, file = 'watchlist.yaml'): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bad).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const col = [...before.slice(lineStart)].length + 1;
  const byte = bytes[bad]!.toString(16).padStart(2, '0');
  throw new WatchlistError(file, [{ line, col, message: `not valid UTF-8 (byte 0x${byte}); save the file as UTF-8` }]);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n > b.length) return i;
    const second = b[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return -1;
}

/**
 * Values an alias may expand to, in total. Ordinary anchors (one `notify:` block shared by thousands of models)
 * stay far below it; an alias bomb (aliases of aliases of aliases) grows exponentially and is refused before
 * it is expanded.
 */
export const MAX_EXPANDED_NODES = 1_000_000;

/** Refuse a document whose aliases would expand past MAX_EXPANDED_NODES, at the alias that crosses it. */
function checkAliasExpansion(doc: Document, lc: LineCounter, file: string): void {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let total = 0;
  // Each alias's target, found in one pass in document order (Alias.resolve() walks the whole document per
  // alias: quadratic for an anchor shared by thousands of models).
  const targets = new Map<unknown, unknown>();
  const anchors = new Map<string, unknown>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if ((node as { anchor?: string }).anchor) anchors.set((node as { anchor: string }).anchor, node);
    },
  });
  const fail = (node: Node, message: string): never => {
    const pos = lc.linePos(node.range?.[0] ?? 0);
    throw new WatchlistError(file, [{ line: pos.line, col: pos.col, message }]);
  };
  // Size of a node once every alias in it is expanded; each anchored node is measured once (memoised).
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) return 1;
      if (open.has(target)) fail(node, `alias *${node.source} refers to the node that contains it`);
      const n = size(target);
      total += n;
      if (total > MAX_EXPANDED_NODES) fail(node, `aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} values (an alias bomb?); refused`);
      return n;
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let n = 1;
    open.add(node);
    if (isCollection(node)) for (const item of node.items) n += isPair(item) ? size(item.key) + size(item.value) : size(item);
    open.delete(node);
    sizes.set(node, n);
    return n;
  };
  size(doc.contents);
}

export function parseWatchlist(source: string, file = 'watchlist.yaml'): Watchlist {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new WatchlistError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        // yaml's advice is for programmers; the person editing the file needs to know what to change.
        const message = e.code === 'MULTIPLE_DOCS' ? 'a second YAML document starts here ("---"); a watchlist is one document: remove the separator' : firstLine(e.message);
        return { line: pos.line, col: pos.col, message: `YAML: ${message}` };
      }),
    );
  }
  checkAliasExpansion(doc, lineCounter, file);
  let data: unknown;
  try {
    // The expansion was bounded above; yaml's own alias count (100) would refuse a shared anchor used by 101 models.
    data = doc.toJS({ maxAliasCount: -1 }) ?? {};
  } catch (err) {
    throw new WatchlistError(file, [{ line: 1, col: 1, message: `YAML: ${firstLine((err as Error).message)}` }]);
  }
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
