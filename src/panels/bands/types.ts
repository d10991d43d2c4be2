export interface BandsPanelOptions {
  /** Band fill opacity in percent (Grafana's fillOpacity scale). @default 20 */
  bandOpacity: number;
  /** Anomaly marker diameter in pixels; 0 hides the markers. @default 7 */
  markerSize: number;
  /** Detector ids whose bands are shown; empty shows every detector in the data. @default [] */
  detectors: string[];
}

export const DEFAULT_OPTIONS: BandsPanelOptions = { bandOpacity: 20, markerSize: 7, detectors: [] };
