/**
 * jsdom has no canvas; Grafana's Combobox measures option text on one. Page tests get a context that measures
 * every text as 10 px wide, which is all the component needs.
 */
export function installCanvasStub(): void {
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: () => ({ width: 10 }),
    font: '',
  })) as unknown as HTMLCanvasElement['getContext'];
}
