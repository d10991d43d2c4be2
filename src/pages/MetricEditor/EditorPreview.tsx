import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import type { MetricDefinition } from '../../../common/api/metrics';
import type { PreviewResponse } from '../../../common/api/preview';
import { toServiceError, type ServiceIssue } from '../../api/errors';
import { preview } from '../../api/service';
import { BandChart } from '../../charts/BandChart';
import { formatSeconds, formatTime } from '../../components/format';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';
import { useElementWidth } from '../../components/useElementWidth';
import type { Definition } from './definition';

/** Edits this close together make one preview request. */
export const PREVIEW_DEBOUNCE_MS = 800;
const DAY_MS = 24 * 3600 * 1000;
const DAY_OPTIONS = [1, 3, 7, 14, 30].map((d) => ({ label: `${d} d`, value: d }));
const HEIGHT = 260;

interface Props {
  definition: Definition;
  /** Why no preview can run now (local validation errors), or null. */
  blockedBy: string | null;
  /** The service's issues with the definition from the latest preview (empty when it went through). */
  onIssues: (issues: ServiceIssue[]) => void;
}

type State =
  | { kind: 'idle' }
  | { kind: 'loading'; previous?: PreviewResponse }
  | { kind: 'ok'; res: PreviewResponse }
  | { kind: 'error'; error: unknown };

/**
 * The bands the definition would draw over the last days, computed by the service in memory (POST /api/preview):
 * nothing is stored, so it can be tried freely before saving.
 */
export function EditorPreview({ definition, blockedBy, onIssues }: Props) {
  const [days, setDays] = useState(7);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const { ref, width } = useElementWidth<HTMLDivElement>();

  useEffect(() => {
    if (blockedBy) {
      // The service's last word was about a definition that has changed since.
      onIssues([]);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      setState((s) => ({ kind: 'loading', previous: s.kind === 'ok' ? s.res : undefined }));
      const to = Date.now();
      // An unnamed new metric can still be previewed: the name only keys stored data, and nothing is stored here.
      const named =
        typeof definition.name === 'string' && definition.name ? definition : { ...definition, name: 'preview' };
      // Only previewed once local validation passed (blockedBy is null): it has a metric file's shape.
      preview({ definition: named as MetricDefinition, from: to - days * DAY_MS, to }).then(
        (res) => {
          if (current) {
            setState({ kind: 'ok', res });
            onIssues([]);
          }
        },
        (error: unknown) => {
          if (current) {
            setState({ kind: 'error', error });
            onIssues(toServiceError(error).issues);
          }
        }
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [definition, days, blockedBy, onIssues]);

  const res = state.kind === 'ok' ? state.res : state.kind === 'loading' ? state.previous : undefined;
  const points = res?.series.reduce((n, s) => n + s.timestamps.length, 0) ?? 0;

  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={2} alignItems="center">
        <RadioButtonGroup size="sm" options={DAY_OPTIONS} value={days} onChange={setDays} />
        {state.kind === 'loading' && <LoadingPlaceholder text="Computing the preview…" />}
        {res && (
          <Text color="secondary" variant="bodySmall">
            {`${formatTime(res.from)} – ${formatTime(res.to)}, every ${formatSeconds(res.intervalSeconds)}: ${points.toLocaleString()} points in ${res.series.length} series`}
          </Text>
        )}
      </Stack>
      <div ref={ref} data-testid={testIds.editor.preview} style={{ minHeight: HEIGHT }}>
        {blockedBy && (
          <Alert severity="info" title="No preview yet">
            {blockedBy}
          </Alert>
        )}
        {!blockedBy && state.kind === 'error' && <ServiceErrorAlert error={state.error} title="The preview failed" />}
        {!blockedBy && res && res.warnings.length > 0 && (
          <Alert severity="warning" title="Preview notes">
            {res.warnings.map((w, i) => (
              <div key={i}>{w}</div>
            ))}
          </Alert>
        )}
        {!blockedBy && res && points === 0 && (
          <Alert severity="info" title="The source returned no points in this range">
            Check the query and the time column, or choose more days.
          </Alert>
        )}
        {!blockedBy && res && points > 0 && (
          <BandChart data={res.series} width={width} height={HEIGHT} timeRange={{ from: res.from, to: res.to }} />
        )}
      </div>
    </Stack>
  );
}
