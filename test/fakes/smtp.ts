import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  from: string;
  to: string[];
  auth?: { username: string; password: string };
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
}

/** An SMTP sink on 127.0.0.1 (smtp-server) that keeps every message and decodes its MIME parts. */
export class FakeSmtp {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  readonly user = 'termdrift';
  readonly password = 'smtp-S3cret-pass';

  async start(): Promise<this> {
    const logins = new WeakMap<object, { username: string; password: string }>();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, session, cb) => {
        if (auth.username !== this.user || auth.password !== this.password) return cb(new Error('Invalid username or password'));
        logins.set(session, { username: auth.username!, password: auth.password! });
        cb(null, { user: auth.username });
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.mails.push({
            ...parseMime(raw),
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            auth: logins.get(session),
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** SMTP_URL with the sink's credentials. */
  get url(): string {
    return `smtp://${this.user}:${encodeURIComponent(this.password)}@127.0.0.1:${(this.server!.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

type Part = { headers: Record<string, string>; body: string };

function parseMime(raw: string): Omit<ReceivedMail, 'raw' | 'from' | 'to' | 'auth'> {
  const top = splitPart(raw);
  const leaves: Part[] = [];
  const walk = (p: Part) => {
    const m = /multipart\/[^;]+;\s*boundary="?([^";\r\n]+)"?/i.exec(p.headers['content-type'] ?? '');
    if (!m) return void leaves.push(p);
    for (const chunk of p.body.split(`--${m[1]}`).slice(1)) if (!chunk.startsWith('--')) walk(splitPart(chunk.replace(/^\r?\n/, '')));
  };
  walk(top);
  const decoded = leaves.map((p) => ({ ...p, text: decodeBody(p) }));
  const find = (type: string) => decoded.find((p) => (p.headers['content-type'] ?? '').startsWith(type) && !/attachment/i.test(p.headers['content-disposition'] ?? ''))?.text ?? '';
  return {
    headers: top.headers,
    subject: decodeWords(top.headers.subject ?? ''),
    text: find('text/plain'),
    html: find('text/html'),
    attachments: decoded
      .filter((p) => /attachment/i.test(p.headers['content-disposition'] ?? ''))
      .map((p) => ({ filename: /filename="?([^";]+)"?/.exec(p.headers['content-disposition']!)?.[1] ?? '', contentType: p.headers['content-type'] ?? '', content: p.text })),
  };
}

function splitPart(s: string): Part {
  const i = s.search(/\r?\n\r?\n/);
  const head = i < 0 ? s : s.slice(0, i);
  const body = i < 0 ? '' : s.slice(i).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body };
}

function decodeBody(p: Part): string {
  const enc = (p.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(p.body.replace(/\s+/g, ''), 'base64').toString('utf8').replace(/\r\n/g, '\n');
  if (enc === 'quoted-printable') return qp(p.body.replace(/=\r?\n/g, '')).replace(/\r\n/g, '\n');
  return p.body.replace(/\r\n/g, '\n');
}

function qp(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qp(text.replace(/_/g, ' ')),
  );
}
