import { PanelPlugin } from '@grafana/data';
import { BandsPanel } from './components/BandsPanel';
import { DetectorsEditor } from './components/DetectorsEditor';
import { DEFAULT_OPTIONS, type BandsPanelOptions } from './types';

export const plugin = new PanelPlugin<BandsPanelOptions>(BandsPanel).setPanelOptions((builder) =>
  builder
    .addSliderInput({
      path: 'bandOpacity',
      name: 'Band opacity',
      description: 'Fill opacity of the confidence bands, in percent',
      defaultValue: DEFAULT_OPTIONS.bandOpacity,
      settings: { min: 0, max: 100, step: 5 },
    })
    .addSliderInput({
      path: 'markerSize',
      name: 'Anomaly marker size',
      description: 'Diameter of the anomaly markers in pixels; 0 hides them',
      defaultValue: DEFAULT_OPTIONS.markerSize,
      settings: { min: 0, max: 20, step: 1 },
    })
    .addCustomEditor({
      id: 'detectors',
      path: 'detectors',
      name: 'Detectors shown',
      description: 'Bands and anomalies of these detectors only; empty shows all',
      defaultValue: DEFAULT_OPTIONS.detectors,
      editor: DetectorsEditor,
    })
);
