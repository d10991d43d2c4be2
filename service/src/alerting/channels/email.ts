import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { z } from 'zod';
import type { emailChannelSchema } from '../../../../common/config/profiles';
import { pyFormat, TemplateError } from '../format';
import { ChannelError, type AlertChannel, type OutgoingAlert } from './types';

type EmailConfig = z.output<typeof emailChannelSchema>;

/**
 * detectkit's SMTP settings: `use_tls: true` = plain connection upgraded with STARTTLS (required, never
 * silently plaintext); `use_tls: false` = TLS from the first byte (SMTP_SSL, usually port 465).
 */
export function smtpOptions(cfg: EmailConfig): SMTPTransport.Options {
  const ms = cfg.timeout * 1000;
  return {
    host: cfg.smtp_host,
    port: cfg.smtp_port,
    secure: !cfg.use_tls,
    requireTLS: cfg.use_tls,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
    ...(cfg.smtp_username && cfg.smtp_password ? { auth: { user: cfg.smtp_username, pass: cfg.smtp_password } } : {}),
    // Certificates are always verified; a private CA is trusted by naming it, never by turning checks off.
    ...(cfg.tls_ca_file ? { tls: { ca: readCa(cfg.tls_ca_file) } } : {}),
  };
}

function readCa(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new ChannelError(
      `email channel: cannot read tls_ca_file ${file} (${(e as NodeJS.ErrnoException).code ?? e})`,
      400
    );
  }
}

export function emailSubject(cfg: EmailConfig, a: OutgoingAlert): string {
  const prefix = a.kind === 'test' ? '[TEST] ' : a.kind === 'resolved' ? '[RESOLVED] ' : '';
  try {
    return prefix + pyFormat(cfg.subject_template, { metric_name: { kind: 'str', v: a.data.metricName } });
  } catch (e) {
    if (e instanceof TemplateError) {
      return `${prefix}Anomaly Alert: ${a.data.metricName}`;
    }
    throw e;
  }
}

export function emailChannel(name: string, cfg: EmailConfig): AlertChannel {
  return {
    name,
    type: 'email',
    async send(a: OutgoingAlert) {
      const transport = nodemailer.createTransport(smtpOptions(cfg));
      try {
        await transport.sendMail({
          from: cfg.from_email,
          to: cfg.to_emails.join(', '),
          subject: emailSubject(cfg, a),
          text: a.message,
          headers: { 'X-Dtk-Event-Id': a.eventId },
        });
      } catch (e) {
        const err = e as Error & { code?: string; responseCode?: number };
        // nodemailer messages carry no password; the server's reply is useful (e.g. "535 auth failed").
        throw new ChannelError(
          `email channel '${name}': SMTP ${cfg.smtp_host}:${cfg.smtp_port} failed (${err.code ?? 'error'}: ${err.message})`,
          err.responseCode !== undefined && err.responseCode >= 500 ? 400 : undefined
        );
      } finally {
        transport.close();
      }
    },
  };
}
