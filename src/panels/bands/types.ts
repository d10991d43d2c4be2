export interface BandsPanelOptions {
  /** Line width of value series in pixels. */
  lineWidth: number;
}
