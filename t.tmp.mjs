import { parseDocument } from 'yaml';
for (const alias of [false, true]) for (const n of [500, 2000]) {
const s = ['models:', ...Array.from({ length: n }, (_, i) => [`  - id: m${i}`, `    documents: [{ url: "https://ex.example/${i}", role: license }]`, i === 0 || !alias ? '    notify: &n { on: material }' : '    notify: *n']).flat()].join('\n');
let t = performance.now(); const d = parseDocument(s); const p = performance.now()-t; t = performance.now(); d.toJS({maxAliasCount:-1}); console.log(alias, n, 'parse', p|0, 'toJS', (performance.now()-t)|0);
}
