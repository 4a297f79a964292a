/** Model-card YAML front matter: the license fields a card declares are facts of their own. */
import { parse } from 'yaml';

const FRONT = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
const KEEP = /^(?:license|license_name|license_link|license_details|base_model|gated|extra_gated_.*)$/;

export interface FrontMatter {
  /** The kept license fields, or undefined when the text has no (parseable) front matter. */
  card?: Record<string, unknown>;
  /** The text with the front matter blanked out (same length, newlines kept), so offsets stay valid. */
  body: string;
}

export function splitFrontMatter(text: string): FrontMatter {
  const m = FRONT.exec(text);
  if (!m) return { body: text };
  const blanked = text.slice(0, m[0].length).replace(/[^\n]/g, ' ') + text.slice(m[0].length);
  let data: unknown;
  try {
    data = parse(m[1]!);
  } catch {
    return { body: blanked };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { body: blanked };
  const card: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (KEEP.test(k)) card[k] = v;
  return { card, body: blanked };
}
