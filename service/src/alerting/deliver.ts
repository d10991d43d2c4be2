import type { AlertEventRow, AlertStore, ChannelDelivery } from '../storage';
import { ChannelError, type AlertChannel, type OutgoingAlert } from './channels';
import type { AlertData } from './types';

/**
 * At-least-once delivery from the `_dtk_alerts` outbox. An event row is written with every channel `pending`
 * before anything is sent; each channel's outcome is written as soon as it is known, so a crashed or retried
 * run resends only what was not confirmed (receivers can dedupe on the event id for that last window).
 */

export interface DeliveryOptions {
  /** Tries per channel within one run. */
  attemptsPerRun: number;
  /** Tries per channel over all runs before giving up (the failure stays recorded). */
  maxAttempts: number;
  /** Wait before retry k (1-based), ms. */
  backoffMs: (k: number) => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  attemptsPerRun: 3,
  maxAttempts: 10,
  backoffMs: (k) => Math.min(30_000, 500 * 2 ** (k - 1)),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: Date.now,
};

export interface ChannelOutcome {
  eventId: string;
  eventType: string;
  channel: string;
  type: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

/** The notification a stored event stands for (the alert data is kept in `details`). */
export function outgoingFromRow(row: AlertEventRow, now: number): OutgoingAlert {
  const d = row.details as { alert?: AlertData; resolves?: AlertData; expiresAt?: number };
  const data: AlertData = d.alert ?? {
    metricName: row.metricName,
    timestamp: row.timestamp,
    timezone: null,
    value: row.value,
    confidenceLower: row.confidenceLower,
    confidenceUpper: row.confidenceUpper,
    detectorName: 'unknown',
    detectorParams: '{}',
    direction: row.direction ?? 'none',
    severity: row.severity ?? 0,
    metadata: {},
    consecutiveCount: row.consecutiveCount,
    detectorIds: row.detectorIds,
  };
  return {
    eventId: row.eventId,
    kind: row.eventType,
    data,
    message: row.message,
    resolves: d.resolves,
    expiresAt: d.expiresAt,
    now,
  };
}

function needsDelivery(d: ChannelDelivery, now: number, force: boolean): boolean {
  if (d.status === 'sent' || d.permanent) {
    return false;
  }
  return force || d.nextAttemptAt === undefined || d.nextAttemptAt <= now;
}

/**
 * Delivers one event to the channels still owing it; channels run concurrently, writes are serialised.
 * `force` ignores nextAttemptAt (a fresh event, or an explicit retry).
 */
export async function deliverEvent(
  alerts: AlertStore,
  row: AlertEventRow,
  channels: ReadonlyMap<string, AlertChannel>,
  opts: DeliveryOptions = DEFAULT_DELIVERY,
  force = false
): Promise<ChannelOutcome[]> {
  let writes: Promise<void> = Promise.resolve();
  const persist = () => {
    const snapshot: AlertEventRow = { ...row, channels: structuredClone(row.channels) };
    writes = writes.then(() => alerts.write(snapshot));
    return writes;
  };
  const due = Object.entries(row.channels).filter(([, d]) => needsDelivery(d, opts.now(), force));
  const outcomes = await Promise.all(
    due.map(async ([name, d]): Promise<ChannelOutcome> => {
      const ch = channels.get(name);
      const base = { eventId: row.eventId, eventType: row.eventType, channel: name, type: d.type };
      if (!ch) {
        d.status = 'failed';
        d.permanent = true;
        d.error ??= `channel '${name}' is no longer configured`;
        await persist();
        return { ...base, ok: false, attempts: d.attempts, error: d.error };
      }
      // Bounded: at most attemptsPerRun tries now, and never beyond maxAttempts overall.
      for (let k = 1; k <= opts.attemptsPerRun && d.attempts < opts.maxAttempts; k++) {
        d.attempts++;
        try {
          await ch.send(outgoingFromRow(row, opts.now()));
          d.status = 'sent';
          d.sentAt = opts.now();
          delete d.nextAttemptAt;
          await persist();
          return { ...base, ok: true, attempts: d.attempts };
        } catch (e) {
          d.status = 'failed';
          d.error = e instanceof Error ? e.message : String(e);
          if (e instanceof ChannelError && !e.retryable) {
            d.permanent = true;
            break;
          }
          if (k < opts.attemptsPerRun && d.attempts < opts.maxAttempts) {
            await opts.sleep(opts.backoffMs(d.attempts));
          }
        }
      }
      if (d.attempts >= opts.maxAttempts) {
        d.permanent = true;
        d.error = `${d.error ?? 'failed'} (gave up after ${d.attempts} attempts)`;
      } else if (!d.permanent) {
        d.nextAttemptAt = opts.now() + opts.backoffMs(d.attempts);
      }
      await persist();
      return { ...base, ok: false, attempts: d.attempts, error: d.error };
    })
  );
  await writes;
  return outcomes;
}
