import { PanelPlugin } from '@grafana/data';
import { BandsPanel } from './components/BandsPanel';
import type { BandsPanelOptions } from './types';

export const plugin = new PanelPlugin<BandsPanelOptions>(BandsPanel).setPanelOptions((builder) =>
  builder.addSliderInput({
    path: 'lineWidth',
    name: 'Line width',
    defaultValue: 1,
    settings: { min: 1, max: 5, step: 1 },
  })
);
