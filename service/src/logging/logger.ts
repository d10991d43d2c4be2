import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line, wherever they sit in the logged object. Secrets come
 * from profiles.yml (passwords, tokens, webhook URLs that embed a token) and HTTP headers.
 */
const SECRET_KEYS = [
  'password',
  'token',
  'secret',
  'authorization',
  'api_key',
  'apiKey',
  'bearer_token',
  'bot_token',
  'webhook_url',
  'smtp_password',
];
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`]);

export interface LoggerOptions {
  level?: string;
  /** Human-readable single lines instead of JSON (CLI on a terminal). */
  pretty?: boolean;
  destination?: DestinationStream;
}

/** Renders pino's JSON lines as `level: msg key=value` for people at a terminal. */
function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      try {
        const {
          level,
          msg,
          time: _t,
          pid: _p,
          hostname: _h,
          name: _n,
          ...rest
        } = JSON.parse(line) as Record<string, unknown>;
        const label = pino.levels.labels[Number(level)] ?? 'log';
        const extras = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(`${label}: ${String(msg ?? '')}${extras ? ` ${extras}` : ''}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.DTK_LOG_LEVEL ?? 'info';
  const destination = options.destination ?? (options.pretty ? prettyStream(process.stderr) : pino.destination(2));
  return pino(
    {
      name: 'dtk',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination
  );
}

/** A logger that drops everything: for tests and library use without a logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
