#!/usr/bin/env node
// No import circles in src/: every import (type imports included, since they tie the modules' shapes together) over
// the whole tree, strongly connected components by Tarjan's algorithm. Prints each circle and exits 1 when any exists.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'src');
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) files.push(p);
  }
};
walk(root);

const edges = new Map();
const spec = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
for (const f of files) {
  const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const out = new Set();
  for (const m of text.matchAll(spec)) {
    const target = path.resolve(path.dirname(f), (m[1] ?? m[2]).replace(/\.js$/, '.ts'));
    if (existsSync(target)) out.add(target);
  }
  edges.set(f, out);
}

let index = 0;
const stack = [];
const info = new Map();
const circles = [];
const strong = (v) => {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!info.has(w)) {
      strong(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
  }
  if (info.get(v).low === info.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || edges.get(v)?.has(v)) circles.push(scc);
  }
};
for (const f of files) if (!info.has(f)) strong(f);

if (circles.length === 0) {
  console.log(`no import circles in ${path.relative(process.cwd(), root) || '.'} (${files.length} files)`);
} else {
  for (const c of circles) console.error(`import circle: ${c.map((f) => path.relative(process.cwd(), f)).sort().join(' ↔ ')}`);
  process.exit(1);
}
