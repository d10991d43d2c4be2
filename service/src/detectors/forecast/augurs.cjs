'use strict';
/**
 * The only file that talks to @bsull/augurs (and its Prophet Stan package). Plain CommonJS, loaded with Node's own
 * `require` (augurs.ts), because:
 * - augurs ships ES modules whose .wasm files are not in its exports map: each is initialised with `initSync` and
 *   the bytes read from the package folder (DESIGN §13);
 * - `require()` of an ES module works on Node >= 20.19 / 22.12; the Prophet Stan package uses top-level await and
 *   needs a real `import()`, which the service's TypeScript (compiled to CommonJS by tsx or swc) cannot express;
 * - under Jest, test code runs in a separate realm whose registry cannot load ES modules: models built here, with
 *   arrays copied here, keep WebAssembly and typed arrays in one realm.
 * Every function copies its inputs and returns plain arrays.
 */
const fs = require('node:fs');
const path = require('node:path');

const loaded = new Map();

/** One augurs sub-package (`ets`, `seasons`, `prophet`), initialised once. */
function pkg(name) {
  let mod = loaded.get(name);
  if (!mod) {
    const entry = require.resolve(`@bsull/augurs/${name}`);
    mod = require(entry);
    mod.initSync({ module: fs.readFileSync(path.join(path.dirname(entry), `${name}_bg.wasm`)) });
    loaded.set(name, mod);
  }
  return mod;
}

/** Loads and initialises sub-packages up front, so a broken install fails the run instead of each fit. */
exports.ready = function ready(names) {
  for (const name of names) {
    pkg(name);
  }
};

function bands(forecast) {
  const iv = forecast.intervals;
  return {
    point: Array.from(forecast.point),
    lower: iv ? Array.from(iv.lower) : [],
    upper: iv ? Array.from(iv.upper) : [],
  };
}

/** Non-seasonal AutoETS (augurs' model search over error/trend types, `ZZN`). */
exports.ets = function ets(y, horizon, level) {
  const model = new (pkg('ets').AutoETS)(1, 'ZZN');
  try {
    model.fit(Float64Array.from(y));
    return bands(model.predict(horizon, level));
  } finally {
    model.free();
  }
};

/** augurs' periodogram season detection: candidate periods, strongest last. */
exports.seasonalities = function seasonalities(y, minPeriod, maxPeriod, threshold) {
  return Array.from(pkg('seasons').seasonalities(Float64Array.from(y), { minPeriod, maxPeriod, threshold }));
};

let optimizer = null;
let loadingProphet = null;

/** Loads the Prophet Stan model (an ES module with top-level await: only `import()` can load it). */
exports.loadProphet = function loadProphet() {
  loadingProphet ??= import('@bsull/augurs-prophet-wasmstan').then((m) => {
    pkg('prophet');
    optimizer = m.optimizer;
  });
  return loadingProphet;
};

exports.prophetReady = function prophetReady() {
  return optimizer !== null;
};

/**
 * Prophet fitted on (ds seconds, y); returns the point forecast at `future` (seconds) and the in-sample fit. Its
 * own intervals come from random simulation (they change from run to run), so the caller builds the band from the
 * in-sample residuals instead.
 */
exports.prophet = function prophet(ds, y, future, opts) {
  if (!optimizer) {
    throw new Error('the Prophet model is not loaded yet');
  }
  const P = pkg('prophet').Prophet;
  const custom = opts.seasonalities.length > 0;
  const off = { type: 'manual', enabled: false };
  const model = new P({
    optimizer,
    uncertaintySamples: 0,
    seasonalityMode: opts.seasonalityMode,
    changepointPriorScale: opts.changepointPriorScale,
    ...(custom ? { dailySeasonality: off, weeklySeasonality: off, yearlySeasonality: off } : {}),
  });
  try {
    for (const s of opts.seasonalities) {
      model.addSeasonality(s.name, { period: s.periodDays, fourierOrder: s.fourierOrder });
    }
    model.fit({ ds: Array.from(ds), y: Float64Array.from(y) }, { seed: 1 });
    const inSample = model.predict(null).yhat.point;
    const ahead = model.predict({ ds: Array.from(future) }).yhat.point;
    return { point: Array.from(ahead), inSample: Array.from(inSample) };
  } finally {
    model.free();
  }
};
