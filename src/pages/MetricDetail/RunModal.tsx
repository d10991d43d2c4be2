import React, { useState } from 'react';
import { dateMath, dateTimeFormat } from '@grafana/data';
import { ConfirmModal, Field, Input, Stack, Text } from '@grafana/ui';

export type RunMode = 'run' | 'backfill' | 'refresh';

export interface RunRequestBody {
  from?: number;
  to?: number;
  fullRefresh?: boolean;
}

interface Props {
  mode: RunMode;
  metric: string;
  onConfirm: (body: RunRequestBody) => void;
  onDismiss: () => void;
}

/** A time in Grafana's notation (`now-7d`, `now/d`) or a date (`2024-05-01 12:00`), as epoch ms. */
export function parseTimeInput(text: string, roundUp: boolean): number | null {
  const t = text.trim();
  if (!t) {
    return null;
  }
  const parsed = dateMath.toDateTime(t, { roundUp });
  return parsed && parsed.isValid() ? parsed.valueOf() : null;
}

const COPY: Record<RunMode, { title: string; confirm: string; what: string }> = {
  run: {
    title: 'Run now',
    confirm: 'Run now',
    what: 'Loads what is missing up to the last complete interval, runs the detectors and evaluates alerts, ahead of the schedule.',
  },
  backfill: {
    title: 'Backfill',
    confirm: 'Start backfill',
    what: 'Loads and detects the range. Points already stored are kept; run it again safely, nothing is written twice.',
  },
  refresh: {
    title: 'Full refresh',
    confirm: 'Delete and reload',
    what: 'Deletes the stored datapoints and detections in the range, then loads and detects it again. Use it after changing the query or the detectors.',
  },
};

/** Confirms a run; backfill and full refresh ask for the range. */
export function RunModal({ mode, metric, onConfirm, onDismiss }: Props) {
  const [fromText, setFromText] = useState('now-7d');
  const [toText, setToText] = useState('now');
  const needsRange = mode !== 'run';
  const from = parseTimeInput(fromText, false);
  const to = parseTimeInput(toText, true);
  const rangeError = !needsRange
    ? null
    : from === null
      ? 'From is not a time: write e.g. now-7d or 2024-05-01 00:00'
      : to === null
        ? 'To is not a time: write e.g. now or 2024-05-08 00:00'
        : from >= to
          ? 'From must be before To'
          : null;
  const copy = COPY[mode];

  const body = (
    <Stack direction="column" gap={1}>
      <Text>
        <strong>{metric}</strong>: {copy.what}
      </Text>
      {needsRange && (
        <Stack direction="row" gap={2}>
          <Field label="From" description={from !== null ? dateTimeFormat(from) : undefined}>
            <Input aria-label="From" value={fromText} onChange={(e) => setFromText(e.currentTarget.value)} width={24} />
          </Field>
          <Field label="To" description={to !== null ? dateTimeFormat(to) : undefined}>
            <Input aria-label="To" value={toText} onChange={(e) => setToText(e.currentTarget.value)} width={24} />
          </Field>
        </Stack>
      )}
      {rangeError && <Text color="error">{rangeError}</Text>}
    </Stack>
  );

  return (
    <ConfirmModal
      isOpen
      title={copy.title}
      body={body}
      confirmText={copy.confirm}
      confirmVariant={mode === 'refresh' ? 'destructive' : 'primary'}
      disabled={rangeError !== null}
      onConfirm={() => {
        if (rangeError !== null) {
          return;
        }
        onConfirm(
          mode === 'run' ? {} : { from: from ?? undefined, to: to ?? undefined, fullRefresh: mode === 'refresh' }
        );
      }}
      onDismiss={onDismiss}
    />
  );
}
