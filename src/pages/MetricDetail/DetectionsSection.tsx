import React, { useCallback, useState } from 'react';
import { Badge, InlineSwitch, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import type { Detection } from '../../../common/api/detections';
import { getDetections, type TimeRangeMs } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { formatTime, formatValue, NONE } from '../../components/format';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { getTableStyles } from '../../components/Table/tableStyles';
import { testIds } from '../../components/testIds';

const LIMIT = 500;

/** Stored detections over the page's range, newest first: anomalies only unless the switch says otherwise. */
export function DetectionsSection({ name, range }: { name: string; range: TimeRangeMs }) {
  const s = useStyles2(getTableStyles);
  const [anomaliesOnly, setAnomaliesOnly] = useState(true);
  const load = useCallback(
    () => getDetections(name, { from: range.from, to: range.to, anomalies: anomaliesOnly, limit: LIMIT }),
    [name, range, anomaliesOnly]
  );
  const res = useAsync(load);
  const rows = res.value?.detections ?? [];

  return (
    <Stack direction="column" gap={1}>
      <div>
        <InlineSwitch
          label="Anomalies only"
          showLabel
          transparent
          value={anomaliesOnly}
          onChange={(e) => setAnomaliesOnly(e.currentTarget.checked)}
        />
      </div>
      {res.status === 'error' && <ServiceErrorAlert error={res.error} title="Could not read the detections" />}
      {res.status === 'loading' && !res.value && <LoadingPlaceholder text="Reading detections…" />}
      {res.value && rows.length === 0 && (
        <Text color="secondary">
          {anomaliesOnly ? 'No anomalies in this time range.' : 'No detections stored in this time range.'}
        </Text>
      )}
      {rows.length > 0 && (
        <div className={s.wrapper}>
          <table className={s.table} data-testid={testIds.detail.detectionsTable}>
            <thead>
              <tr>
                <th>Point</th>
                <th>Detector</th>
                <th className={s.numeric}>Value</th>
                <th className={s.numeric}>Lower</th>
                <th className={s.numeric}>Upper</th>
                <th>Anomaly</th>
                <th>Direction</th>
                <th className={s.numeric}>Severity</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={`${d.detectorId}/${d.timestamp}`}>
                  <td>{formatTime(d.timestamp)}</td>
                  <td className={s.wrap}>{d.detectorName}</td>
                  <td className={s.numeric}>{formatValue(d.value)}</td>
                  <td className={s.numeric}>{formatValue(d.lower)}</td>
                  <td className={s.numeric}>{formatValue(d.upper)}</td>
                  <td>{d.isAnomaly ? <Badge color="red" text="anomaly" /> : <Text color="secondary">no</Text>}</td>
                  <td>{metaText(d, 'direction')}</td>
                  <td className={s.numeric}>{metaNumber(d, 'severity')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {res.value?.truncated && (
        <Text variant="bodySmall" color="secondary">
          The newest {LIMIT} are shown; narrow the time range to see older ones.
        </Text>
      )}
    </Stack>
  );
}

/** detectkit's detection_metadata is free-form JSON: read the keys people look for, defensively. */
function metaText(d: Detection, key: string): string {
  const v = d.metadata[key];
  return typeof v === 'string' && v ? v : NONE;
}

function metaNumber(d: Detection, key: string): string {
  const v = d.metadata[key];
  return typeof v === 'number' ? formatValue(v) : NONE;
}
