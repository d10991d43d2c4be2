import type { AlertData, AlertEventType } from '../types';

/** One notification handed to a channel. */
export interface OutgoingAlert {
  /** Stable per event: receivers and retries can deduplicate on it. */
  eventId: string;
  kind: AlertEventType;
  data: AlertData;
  /** The formatted message (metric template, or the default). */
  message: string;
  /** For `resolved`: the firing alert being resolved (Alertmanager matches it by labels). */
  resolves?: AlertData;
  /** Firing: when the receiver should consider the alert over unless re-sent (Alertmanager endsAt). */
  expiresAt?: number;
  /** Wall time of sending (ms). */
  now: number;
}

export interface AlertChannel {
  readonly name: string;
  readonly type: string;
  /** Resolves when the receiver accepted the alert; throws a ChannelError otherwise. */
  send(alert: OutgoingAlert): Promise<void>;
  /** Channels that track alerts (Alertmanager) are re-sent while the metric keeps firing. */
  readonly resendWhileFiring?: boolean;
  /** Shown next to a successful send when success means something other than "the receiver has it" (grafana). */
  readonly note?: string;
}

/** A delivery failure whose message is safe to print and store (no secrets). */
export class ChannelError extends Error {
  constructor(
    message: string,
    /** HTTP status when the receiver answered; 4xx other than 408/429 will not get better by retrying. */
    readonly status?: number
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 408 || this.status === 429;
  }
}
