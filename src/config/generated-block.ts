import { readFileSync, writeFileSync } from 'node:fs';

/** Replace what stands between two marker comments of a markdown file; returns whether the file changed. */
export function replaceGeneratedBlock(file: string, start: string, end: string, content: string): boolean {
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file}: markers ${start} … ${end} not found`);
  const next = `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`;
  if (next !== text) writeFileSync(file, next);
  return next !== text;
}
