'use strict';
/**
 * Runs one call of a `type: custom` detector module in its own worker thread (customDetector.ts starts it with a
 * heap limit and stops it at the timeout). Plain CommonJS so it runs the same under the tsx CLI, Jest and plain
 * Node: no loader has to be registered in the thread. Each failure is reported with the stage it happened in;
 * the result itself is checked in the main thread (resultCheck.ts), which trusts nothing from here.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');

const message = (e) => (e instanceof Error ? e.message : String(e));

function fail(stage, text, stack) {
  parentPort.postMessage({ ok: false, stage, message: text, stack });
}

/** The detector object: `export default { detect, … }` or the module's named exports. */
function pick(mod) {
  const d = mod.default;
  if (d && typeof d === 'object' && typeof d.detect === 'function') {
    return d;
  }
  if (
    d &&
    typeof d === 'object' &&
    typeof d.default === 'object' &&
    d.default &&
    typeof d.default.detect === 'function'
  ) {
    return d.default; // a CommonJS module's `module.exports = { default: … }`
  }
  return typeof mod.detect === 'function' ? mod : d && typeof d.detect === 'function' ? d : null;
}

function jsonSchemaErrors(schema, options) {
  const Ajv2020 = require('ajv/dist/2020').default;
  const ajv = new Ajv2020({ useDefaults: true, allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    return { invalidSchema: message(e) };
  }
  if (validate(options)) {
    return { params: options };
  }
  const errors = (validate.errors || []).map((err) => {
    const where = `options${err.instancePath.replace(/\//g, '.')}`;
    const extra = err.params && err.params.additionalProperty ? ` '${err.params.additionalProperty}'` : '';
    const allowed = err.params && err.params.allowedValues ? ` (${err.params.allowedValues.join(', ')})` : '';
    return `${where} ${err.message}${extra}${allowed}`;
  });
  return { errors };
}

async function main() {
  const { modulePath, label, options, input, state } = workerData;
  let mod;
  try {
    mod = await import(pathToFileURL(modulePath).href);
  } catch (e) {
    return fail('load', `${label}: cannot load it: ${message(e)}`, e && e.stack);
  }
  const detector = pick(mod);
  if (!detector) {
    const names = Object.keys(mod).filter((k) => k !== 'module.exports');
    return fail(
      'export',
      `${label} exports no detect function (found: ${names.length ? names.join(', ') : 'no exports'}); ` +
        'export `function detect({ timestamps, values, params, state })` or a default object with a detect method'
    );
  }
  let params = options;
  if (typeof detector.validateParams === 'function') {
    try {
      const r = await detector.validateParams(options);
      params = r === undefined ? options : r;
    } catch (e) {
      return fail('params', `${label}: options rejected by validateParams: ${message(e)}`);
    }
  } else if (detector.paramsSchema !== undefined) {
    if (typeof detector.paramsSchema !== 'object' || detector.paramsSchema === null) {
      return fail('export', `${label}: paramsSchema must be a JSON Schema object, got ${typeof detector.paramsSchema}`);
    }
    const r = jsonSchemaErrors(detector.paramsSchema, options);
    if (r.invalidSchema) {
      return fail('export', `${label}: paramsSchema is not a valid JSON Schema: ${r.invalidSchema}`);
    }
    if (r.errors) {
      return fail('params', `${label}: options do not match its paramsSchema: ${r.errors.join('; ')}`);
    }
    params = r.params;
  }
  let result;
  try {
    result = await detector.detect({ ...input, params, state });
  } catch (e) {
    return fail('detect', `${label}: detect() threw: ${message(e)}`, e && e.stack);
  }
  try {
    parentPort.postMessage({ ok: true, result });
  } catch (e) {
    fail(
      'result',
      `${label}: detect() returned a value that cannot be passed back (${message(e)}); return plain arrays and objects`
    );
  }
}

main().catch((e) => fail('internal', message(e), e && e.stack));
