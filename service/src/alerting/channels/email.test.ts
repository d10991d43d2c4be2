import net from 'node:net';
import { alertChannelSchema } from '../../../../common/config/profiles';
import { createChannel } from './index';
import { ChannelError } from './types';

/**
 * A plain SMTP server on 127.0.0.1 that offers no STARTTLS: enough of EHLO/MAIL/RCPT/DATA/QUIT for nodemailer,
 * recording the commands it got.
 */
async function plainSmtpSink() {
  const commands: string[] = [];
  const server = net.createServer((sock) => {
    let buf = '';
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
            sock.write('250 2.0.0 queued\r\n');
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
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, commands, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('email channel against a local SMTP server', () => {
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
      const err = await ch
        .send({
          eventId: 'e1',
          kind: 'firing',
          message: 'cpu is high',
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
        })
        .catch((e: unknown) => e);
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
