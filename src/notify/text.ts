import type { Alert } from './types.js';

/** The message as plain text: the email's text part and what the `log` channel prints. */
export function alertText(alert: Alert): string {
  const out: string[] = [`[termdrift] ${alert.subject}`, ''];
  for (const s of alert.sections) {
    if (s.heading) out.push(s.heading);
    for (const l of s.lines) out.push(s.heading ? `  ${l}` : l);
    if (s.code) out.push(...s.code.split('\n').map((l) => `    ${l}`));
    out.push('');
  }
  return out.join('\n');
}
