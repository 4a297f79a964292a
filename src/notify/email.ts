import nodemailer, { type Transporter } from 'nodemailer';
import { alertText } from './text.js';
import type { Alert, Channel, Section } from './types.js';
import { DeliveryError } from './types.js';

export class EmailChannel implements Channel {
  readonly name = 'email';
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    // Lower than nodemailer's minutes-long defaults: a worker must not hang on a dead mail server.
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as never);
  }

  async send(alert: Alert): Promise<{ id: string }> {
    if (!alert.sender) throw new DeliveryError('notify.email.from is not set', false);
    try {
      const info = await this.transport.sendMail({
        from: alert.sender,
        to: alert.target.split(','),
        subject: `[termdrift] ${alert.subject}`,
        // Deterministic, so a message re-sent after a crash carries the same id and mail clients can fold the copies.
        messageId: `<${alert.key}@termdrift>`,
        headers: { 'X-Termdrift-Key': alert.key, 'X-Termdrift-Severity': alert.level },
        text: alertText(alert),
        html: alertHtml(alert),
        attachments: alert.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      return { id: `${info.messageId} ${String(info.response ?? '').slice(0, 80)}`.trim() };
    } catch (err) {
      throw toDeliveryError(err as { code?: string; responseCode?: number; message?: string });
    }
  }

  close(): void {
    this.transport.close();
  }
}

function toDeliveryError(e: { code?: string; responseCode?: number; message?: string }): DeliveryError {
  if (e.code === 'EAUTH') return new DeliveryError('SMTP login failed (check the user and password in SMTP_URL)', false);
  // SMTP 5xx is a permanent refusal (bad recipient, policy); 4xx and connection trouble pass.
  if (e.responseCode && e.responseCode >= 500) return new DeliveryError(`SMTP server refused the message: ${e.responseCode} ${firstLine(e.message)}`, false);
  return new DeliveryError(`SMTP: ${e.code ? `${e.code} ` : ''}${firstLine(e.message)}`, true);
}

const firstLine = (s = '') => s.split('\n')[0]!.slice(0, 200);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS: Record<string, string> = { material: '#b42318', warning: '#b54708', wording: '#175cd3', cosmetic: '#667085', info: '#027a48' };

export function alertHtml(alert: Alert): string {
  const body = alert.sections.map(sectionHtml).join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif;max-width:760px">
<h2 style="color:${COLORS[alert.level] ?? '#000'}">${esc(alert.subject)}</h2>
${body}
<p style="color:#667085;font-size:12px">termdrift · ${esc(alert.modelId ?? 'system')} · ${esc(alert.key)}</p>
</body></html>`;
}

function sectionHtml(s: Section): string {
  const lines = s.lines.map((l) => `<li>${esc(l)}</li>`).join('');
  return [
    s.heading ? `<h3>${esc(s.heading)}</h3>` : '',
    lines ? `<ul>${lines}</ul>` : '',
    s.code ? `<pre style="background:#f2f4f7;padding:8px;white-space:pre-wrap">${esc(s.code)}</pre>` : '',
  ].join('');
}
