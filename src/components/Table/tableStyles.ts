import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/**
 * Plain tables styled like Grafana's: the pages need row-level test ids, links and custom cells, which
 * InteractiveTable does not expose.
 */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    width: '100%',
    overflowX: 'auto',
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      textAlign: 'left',
      verticalAlign: 'middle',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
    },
    th: {
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
      fontSize: theme.typography.bodySmall.fontSize,
    },
    'tbody tr:hover': {
      background: theme.colors.action.hover,
    },
  }),
  // `&&` doubles the class so it wins over the table's own cell rules.
  wrap: css({
    '&&': { whiteSpace: 'normal', minWidth: 240 },
  }),
  numeric: css({
    '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  }),
  muted: css({
    color: theme.colors.text.secondary,
  }),
});
