/**
 * For jsdom tests only: jsdom has no canvas, so uPlot draws into a 2D context that accepts every call. Tests
 * check the chart's wiring (legend, markers counted in the draw hook, setData instead of a new plot); what is
 * actually drawn is checked in Chromium by tests/browser.
 */
const noop = () => undefined;

export function installFakeCanvas(): void {
  HTMLCanvasElement.prototype.getContext = (() =>
    new Proxy<Record<string | symbol, unknown>>(
      { measureText: () => ({ width: 10 }), canvas: null },
      { get: (t, p) => (p in t ? t[p] : noop), set: (t, p, v) => ((t[p] = v), true) }
    )) as unknown as HTMLCanvasElement['getContext'];
  (globalThis as { Path2D?: unknown }).Path2D = class {
    moveTo = noop;
    lineTo = noop;
    arc = noop;
    rect = noop;
    closePath = noop;
    addPath = noop;
    bezierCurveTo = noop;
  };
}
