import { replaceGeneratedBlock } from './generated-block.js';
import * as z from 'zod';
import { watchlistSchema } from './schema.js';

/**
 * The watchlist reference of docs/watchlist.md, generated from the zod schema so the two cannot disagree
 * (`npm run docs` rewrites it; a test fails when it is stale).
 */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  required?: string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
}

export const START = '<!-- watchlist-reference:start (generated from src/config/schema.ts by `npm run docs`) -->';
export const END = '<!-- watchlist-reference:end -->';

export function watchlistReference(): string {
  const root = z.toJSONSchema(watchlistSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: string[] = ['| key | type | required | default | meaning |', '|---|---|---|---|---|'];
  const walk = (s: JsonSchema, prefix: string) => {
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      const name = `${prefix}${key}`;
      const required = s.required?.includes(key) ? 'yes' : '';
      const itemObject = child.type === 'array' && child.items?.properties;
      const def = child.default !== undefined && typeof child.default !== 'object' ? `\`${JSON.stringify(child.default)}\`` : '';
      rows.push(`| \`${name}\` | ${typeOf(child)} | ${required} | ${def} | ${(child.description ?? '').replace(/\|/g, '\\|')} |`);
      if (child.properties) walk(child, `${name}.`);
      if (itemObject) walk(child.items!, `${name}[].`);
    }
  };
  walk(root, '');
  return rows.join('\n');
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items?.properties ? 'objects' : typeOf(s.items ?? {})}`;
  if (s.type === 'object' && !s.properties && s.additionalProperties) return `map of ${typeOf(s.additionalProperties as JsonSchema)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

/** Replace the generated block of a markdown file; returns whether it changed. */
export function writeReference(file: string): boolean {
  return replaceGeneratedBlock(file, START, END, watchlistReference());
}
