import nodeModule from 'node:module';
import path from 'node:path';

/** Point forecast with its prediction interval, one entry per step ahead. */
export interface Bands {
  point: number[];
  lower: number[];
  upper: number[];
}

export interface ProphetSeasonality {
  name: string;
  periodDays: number;
  fourierOrder: number;
}

export interface ProphetOptions {
  seasonalityMode: 'additive' | 'multiplicative';
  changepointPriorScale: number;
  /** Replace Prophet's automatic daily/weekly/yearly seasonalities when non-empty. */
  seasonalities: ProphetSeasonality[];
}

/** The functions of augurs.cjs. */
export interface Augurs {
  ready(names: Array<'ets' | 'seasons' | 'prophet'>): void;
  ets(y: ArrayLike<number>, horizon: number, level: number): Bands;
  seasonalities(y: ArrayLike<number>, minPeriod: number, maxPeriod: number, threshold: number): number[];
  loadProphet(): Promise<void>;
  prophetReady(): boolean;
  prophet(
    ds: ArrayLike<number>,
    y: ArrayLike<number>,
    future: ArrayLike<number>,
    opts: ProphetOptions
  ): { point: number[]; inSample: number[] };
}

let bridge: Augurs | undefined;

/**
 * augurs.cjs through Node's own loader. `process.getBuiltinModule` returns the real `node:module` even where a
 * test runner replaces `require('node:module')` with its own registry (see augurs.cjs for why that matters).
 */
export function augurs(): Augurs {
  if (!bridge) {
    const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const real = (getBuiltin?.('node:module') as typeof nodeModule | undefined) ?? nodeModule;
    const load = real.createRequire(path.join(__dirname, 'augurs.ts'));
    bridge = load('./augurs.cjs') as Augurs;
  }
  return bridge;
}
