import React from 'react';
import { useTheme2 } from '@grafana/ui';

interface Props {
  values: Array<number | null>;
  /** Per point: anomalous for at least one detector. */
  anomalies: boolean[];
  width?: number;
  height?: number;
  title?: string;
}

/**
 * A tiny inline SVG line: enough to see the shape of the last day in a table row, far cheaper than a chart per row.
 * Missing values break the line rather than being drawn as zero.
 */
export function MiniSparkline({ values, anomalies, width = 120, height = 24, title }: Props) {
  const theme = useTheme2();
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) {
    return null;
  }
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const pad = 2;
  const x = (i: number) => pad + (values.length <= 1 ? 0 : (i / (values.length - 1)) * (width - 2 * pad));
  const y = (v: number) => (max === min ? height / 2 : pad + (1 - (v - min) / (max - min)) * (height - 2 * pad));

  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current.length) {
        segments.push(current.join(' '));
      }
      current = [];
      return;
    }
    current.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (current.length) {
    segments.push(current.join(' '));
  }

  return (
    <svg width={width} height={height} role="img" aria-label={title}>
      {title && <title>{title}</title>}
      {segments.map((points, i) => (
        <polyline key={i} points={points} fill="none" stroke={theme.colors.text.secondary} strokeWidth={1} />
      ))}
      {values.map((v, i) =>
        anomalies[i] && v !== null && Number.isFinite(v) ? (
          <circle key={`a${i}`} cx={x(i)} cy={y(v)} r={2} fill={theme.colors.error.main} />
        ) : null
      )}
    </svg>
  );
}
