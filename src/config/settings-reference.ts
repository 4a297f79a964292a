import { replaceGeneratedBlock } from './generated-block.js';
import { variables } from './settings-schema.js';

/**
 * The table of docs/settings.md, generated from the zod schema of the environment (settings-schema.ts), so the two
 * cannot disagree (`npm run docs` rewrites it; a test fails when it is stale).
 */
export const SETTINGS_START = '<!-- settings-reference:start (generated from src/config/settings-schema.ts by `npm run docs`) -->';
export const SETTINGS_END = '<!-- settings-reference:end -->';

export function settingsTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = variables().map(([name, v]) => {
    const def = v.default !== undefined ? `\`${v.default}\`` : 'unset';
    const meaning = `${v.description}${v.secret ? ' — a secret: masked in logs, never stored or shown' : ''}`;
    return `| \`${name}\` | ${cell(v.expected)} | ${def} | ${cell(meaning)} |`;
  });
  return ['| variable | value | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** Rewrite the generated table of docs/settings.md; returns whether it changed. */
export function writeSettingsReference(file: string): boolean {
  return replaceGeneratedBlock(file, SETTINGS_START, SETTINGS_END, settingsTable());
}
