import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { BandModel } from './bandData';
import { chartTestIds } from './testIds';

interface Props {
  model: BandModel;
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}

/**
 * One entry per value line and per detector band; a click hides or shows it. Rendered once per data change, never
 * on hover. `data-color` carries each entry's colour for tests that look for it on the canvas.
 */
export function BandLegend({ model, hidden, onToggle }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.legend} data-testid={chartTestIds.legend}>
      {model.metrics.map((m) => (
        <React.Fragment key={m.key}>
          <button
            type="button"
            className={cx(styles.item, hidden.has(m.key) && styles.off)}
            onClick={() => onToggle(m.key)}
            title={m.name}
            aria-pressed={!hidden.has(m.key)}
            data-testid={chartTestIds.legendItem}
            data-kind="value"
            data-color={m.color}
          >
            <span className={styles.line} style={{ background: m.color }} />
            <span className={styles.name}>{m.name}</span>
          </button>
          {m.detectors.map((d) => (
            <button
              type="button"
              key={d.key}
              className={cx(styles.item, hidden.has(d.key) && styles.off)}
              onClick={() => onToggle(d.key)}
              title={`${m.name}: ${d.name}`}
              aria-pressed={!hidden.has(d.key)}
              data-testid={chartTestIds.legendItem}
              data-kind="band"
              data-color={d.color}
            >
              <span className={styles.band} style={{ background: d.color }} />
              <span className={styles.name}>{shortDetectorName(d.name)}</span>
              {d.anomalies.length > 0 && (
                <span className={styles.count}>
                  {d.anomalies.length} {d.anomalies.length === 1 ? 'anomaly' : 'anomalies'}
                </span>
              )}
            </button>
          ))}
        </React.Fragment>
      ))}
    </div>
  );
}

/** `MADDetector:threshold=5,window_size=2016` reads `MAD (threshold=5, window_size=2016)`; the full name is the title. */
export function shortDetectorName(name: string): string {
  const colon = name.indexOf(':');
  const cls = colon < 0 ? name : name.slice(0, colon);
  const params = colon < 0 ? '' : name.slice(colon + 1);
  const base = cls.replace(/Detector$/, '') || cls;
  return params ? `${base} (${params.split(',').join(', ')})` : base;
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    padding: theme.spacing(0.5, 1, 0),
    fontSize: theme.typography.bodySmall.fontSize,
    maxHeight: 96,
    overflowY: 'auto',
  }),
  item: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    maxWidth: 360,
    padding: 0,
    border: 'none',
    background: 'none',
    color: theme.colors.text.primary,
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.maxContrast },
  }),
  off: css({ opacity: 0.45 }),
  line: css({ width: 14, height: 3, borderRadius: 1, flexShrink: 0 }),
  band: css({ width: 14, height: 10, borderRadius: 2, opacity: 0.6, flexShrink: 0 }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  count: css({ color: theme.colors.error.text, whiteSpace: 'nowrap' }),
});
