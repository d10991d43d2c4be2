import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { alertChannelSchema } from '../../../../common/config/profiles';
import { createChannel } from './index';
import { ChannelError } from './types';

/**
 * A plain SMTP server on 127.0.0.1 that offers no STARTTLS: enough of EHLO/MAIL/RCPT/DATA/QUIT for nodemailer,
 * recording the commands it got.
 */
function smtpSession(commands: string[], messages: string[]) {
  return (sock: net.Socket) => {
    let buf = '';
    let message = '';
    let inData = false;
    sock.write('220 127.0.0.1 ESMTP sink\r\n');
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(message);
            message = '';
            sock.write('250 2.0.0 queued\r\n');
          } else {
            message += `${line}\n`;
          }
          continue;
        }
        commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          sock.write('250-127.0.0.1\r\n250 8BITMIME\r\n');
        } else if (line.toUpperCase() === 'STARTTLS') {
          sock.write('454 4.7.0 TLS not available\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          sock.write('354 end with <CRLF>.<CRLF>\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 bye\r\n');
        } else {
          sock.write('250 ok\r\n');
        }
      }
    });
  };
}

async function plainSmtpSink() {
  const commands: string[] = [];
  const server = net.createServer(smtpSession(commands, []));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, commands, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An SMTPS sink (TLS from the first byte) with a certificate for 127.0.0.1 signed by a throwaway CA. */
async function tlsSmtpSink() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-smtp-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=dtk test CA',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    'srv.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'srv.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  ]);
  const commands: string[] = [];
  const messages: string[] = [];
  const server = tls.createServer(
    { key: fs.readFileSync(path.join(dir, 'srv.key')), cert: fs.readFileSync(path.join(dir, 'srv.pem')) },
    smtpSession(commands, messages) as (s: tls.TLSSocket) => void
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    commands,
    messages,
    caFile: path.join(dir, 'ca.pem'),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const ALERT = {
  eventId: 'e1',
  kind: 'test' as const,
  message: '[TEST] cpu is high',
  now: 0,
  data: {
    metricName: 'cpu',
    timestamp: 0,
    timezone: null,
    value: 1,
    confidenceLower: 0,
    confidenceUpper: 0,
    detectorName: 'd',
    detectorParams: '{}',
    direction: 'up',
    severity: 1,
    detectorIds: [],
    metadata: {},
    consecutiveCount: 1,
  },
};

describe('email channel against a local SMTP server', () => {
  it('delivers over TLS to a server whose private CA is named in tls_ca_file', async () => {
    const sink = await tlsSmtpSink();
    try {
      const base = {
        type: 'email',
        smtp_host: '127.0.0.1',
        smtp_port: sink.port,
        from_email: 'dtk@example.com',
        to_emails: ['ops@example.com', 'sre@example.com'],
        use_tls: false,
        timeout: 5,
      };
      // Without the CA the certificate is refused: checks are never turned off.
      const refused = await createChannel('mail', alertChannelSchema.parse(base))
        .send(ALERT)
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ChannelError);
      await createChannel('mail', alertChannelSchema.parse({ ...base, tls_ca_file: sink.caFile })).send(ALERT);
      expect(sink.commands.filter((c) => /^RCPT TO/i.test(c))).toEqual([
        'RCPT TO:<ops@example.com>',
        'RCPT TO:<sre@example.com>',
      ]);
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]).toMatch(/^Subject: \[TEST\] Anomaly Alert: cpu$/m);
      expect(sink.messages[0]).toMatch(/^X-Dtk-Event-Id: e1$/im);
      expect(sink.messages[0]).toContain('[TEST] cpu is high');
    } finally {
      await sink.close();
    }
  });

  it('use_tls: true never falls back to plaintext when the server offers no STARTTLS', async () => {
    const sink = await plainSmtpSink();
    try {
      const cfg = alertChannelSchema.parse({
        type: 'email',
        smtp_host: '127.0.0.1',
        smtp_port: sink.port,
        from_email: 'dtk@example.com',
        to_emails: ['ops@example.com'],
        smtp_username: 'dtk',
        smtp_password: 'hunter2',
        use_tls: true,
        timeout: 3,
      });
      const ch = createChannel('mail', cfg);
      const err = await ch.send({ ...ALERT, kind: 'firing', message: 'cpu is high' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).message).toContain(`email channel 'mail': SMTP 127.0.0.1:${sink.port} failed`);
      expect((err as ChannelError).message).not.toContain('hunter2');
      // Nothing past the greeting: no credentials, no envelope, no message over the plain connection.
      expect(sink.commands).toContain('STARTTLS');
      expect(sink.commands.some((c) => /^(AUTH|MAIL|RCPT|DATA)/i.test(c))).toBe(false);
    } finally {
      await sink.close();
    }
  });
});
