import type { Logger as ClickHouseLogger, LogParams, ErrorLogParams, WarnLogParams } from '@clickhouse/client';
import type { Logger } from './logger';

/**
 * Routes @clickhouse/client's own log lines into our pino logger. Its errors are logged at debug:
 * the storage module translates every failure into one actionable error of its own.
 */
export function clickhouseLoggerClass(logger: Logger): new () => ClickHouseLogger {
  const log = logger.child({ component: 'clickhouse-client' });
  return class {
    trace(p: LogParams) {
      log.trace({ module: p.module, args: p.args }, p.message);
    }
    debug(p: LogParams) {
      log.debug({ module: p.module, args: p.args }, p.message);
    }
    info(p: LogParams) {
      log.debug({ module: p.module, args: p.args }, p.message);
    }
    warn(p: WarnLogParams) {
      log.debug({ module: p.module, args: p.args, err: p.err?.message }, p.message);
    }
    error(p: ErrorLogParams) {
      log.debug({ module: p.module, args: p.args, err: p.err.message }, p.message);
    }
  };
}
