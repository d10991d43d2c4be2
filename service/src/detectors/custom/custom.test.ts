import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DtkError } from '../../errors';
import { createDetector } from '../registry';
import { checkResult } from './resultCheck';
import { StateStore } from './stateStore';

/** Custom detector modules run for real: each test writes its module into a temp project. */

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;
const input = (values: number[]) => ({
  timestamps: Float64Array.from(values, (_, i) => T0 + i * MIN),
  values: Float64Array.from(values),
  intervalMs: MIN,
});

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-custom-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** A band of ±`width` around a constant, and a call counter kept in the state. */
const FIXED = `
export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { center: { type: 'number' }, width: { type: 'number', minimum: 0, default: 5 } },
  required: ['center'],
};
export function detect({ values, params, state }) {
  const n = values.length;
  return {
    lower: Array.from({ length: n }, () => params.center - params.width),
    upper: Array.from({ length: n }, () => params.center + params.width),
    expected: Array.from({ length: n }, () => params.center),
    metadata: Array.from({ length: n }, (_, i) => ({ i })),
    state: { calls: (state?.calls ?? 0) + 1 },
  };
}
`;

async function run(root: string, params: Record<string, unknown>, values: number[], metric?: string) {
  const d = createDetector('custom', params, { root, metric: 'm', position: 2 });
  return d.run(input(values), metric === undefined ? {} : { metric });
}

describe('custom detectors', () => {
  it('runs the module, judges points against its band and keeps its state between runs', async () => {
    const root = project({ 'detectors/fixed.mjs': FIXED });
    const params = { module: 'detectors/fixed.mjs', options: { center: 10 } };
    const out = await run(root, params, [10, 12, 16, 3, NaN], 'cpu');
    expect(Array.from(out.isAnomaly)).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(out.lower)).toEqual([5, 5, 5, 5, 5]);
    expect(out.metadata(2)).toEqual({ i: 2, direction: 'above', distance: 1, score: 1.2 });
    expect(out.metadata(0)).toEqual({ i: 0, score: 0 });
    expect(out.metadata(4)).toEqual({ reason: 'missing_data', i: 4 });
    const states = StateStore.forProject(root);
    const id = createDetector('custom', params, { root }).identity.id;
    expect(states.read('cpu', id)).toEqual({ calls: 1 });
    await run(root, params, [10], 'cpu');
    expect(states.read('cpu', id)).toEqual({ calls: 2 });
    // Another series of the same detector has its own state; without a metric nothing is read or saved.
    await run(root, params, [10], 'cpu{host="b"}');
    expect(states.read('cpu{host="b"}', id)).toEqual({ calls: 1 });
    await run(root, params, [10]);
    expect(states.read('cpu', id)).toEqual({ calls: 2 });
  });

  it('accepts a default export, a CommonJS module and validateParams', async () => {
    const root = project({
      'a.mjs': `export default { detect: ({ values }) => ({ lower: values.map(() => 0), upper: values.map(() => 1) }) };`,
      'b.cjs': `module.exports = { detect: ({ values }) => ({ lower: Array.from(values, () => 0), upper: Array.from(values, () => 1), anomaly: Array.from(values, (v) => v === 0.5) }) };`,
      'c.mjs': `export function validateParams(o) { if (!(o.k > 0)) throw new Error('k must be > 0'); return { k: o.k }; }
export function detect({ values, params }) { return { lower: Array.from(values, () => -params.k), upper: Array.from(values, () => params.k) }; }`,
    });
    expect(Array.from((await run(root, { module: 'a.mjs' }, [0.5, 2])).isAnomaly)).toEqual([0, 1]);
    // The module's own verdicts win over the band (0.5 is inside it).
    expect(Array.from((await run(root, { module: 'b.cjs' }, [0.5, 2])).isAnomaly)).toEqual([1, 0]);
    expect(Array.from((await run(root, { module: 'c.mjs', options: { k: 3 } }, [1, 4])).isAnomaly)).toEqual([0, 1]);
    await expect(run(root, { module: 'c.mjs', options: { k: -1 } }, [1])).rejects.toThrow(
      "metric 'm', detector #2 (custom): custom detector module c.mjs: options rejected by validateParams: k must be > 0"
    );
  });

  it('applies the shared post-processing', async () => {
    const root = project({ 'detectors/fixed.mjs': FIXED });
    const base = { module: 'detectors/fixed.mjs', options: { center: 10 } };
    const up = await run(root, { ...base, direction: 'up' }, [16, 3]);
    expect(Array.from(up.isAnomaly)).toEqual([1, 0]);
    expect(up.metadata(1)).toMatchObject({ suppressed_by: 'direction', score: 1.4 });
    const floor = await run(root, { ...base, min_deviation: 1.5 }, [16, 17]);
    expect(Array.from(floor.isAnomaly)).toEqual([0, 1]);
    // 10 % of |expected| = 1: a distance of 1 is not more than that.
    const rel = await run(root, { ...base, min_relative_deviation: 0.1 }, [16, 16.5]);
    expect(Array.from(rel.isAnomaly)).toEqual([0, 1]);
  });

  describe('bad modules give a clear error naming the module and the problem', () => {
    const root = project({
      'detectors/fixed.mjs': FIXED,
      'noexport.mjs': 'export const x = 1;',
      'syntax.mjs': 'export function detect( {',
      'throws.mjs': 'export function detect() { throw new Error("boom"); }',
      'hangs.mjs': 'export function detect() { for (;;) {} }',
      'hog.mjs': 'export function detect() { const a = []; for (;;) a.push({ x: Math.random(), y: [1, 2, 3] }); }',
      'exits.mjs': 'export function detect() { process.exit(3); }',
      'badschema.mjs': 'export const paramsSchema = { type: "nope" }; export function detect() {}',
      'returns.mjs': `export function detect({ values, params }) {
  const n = values.length;
  switch (params.kind) {
    case 'short': return { lower: [0], upper: Array(n).fill(1) };
    case 'nan': return { lower: Array(n).fill(NaN), upper: Array(n).fill(1) };
    case 'string': return { lower: 'x', upper: Array(n).fill(1) };
    case 'inverted': return { lower: Array(n).fill(2), upper: Array(n).fill(1) };
    case 'nothing': return undefined;
    case 'flags': return { lower: Array(n).fill(0), upper: Array(n).fill(1), anomaly: Array(n).fill('yes') };
    case 'fn': return { lower: Array(n).fill(0), upper: Array(n).fill(1), f: () => 1 };
  }
}`,
    });

    it.each([
      [
        'detectors/nope.mjs',
        /custom detector module detectors\/nope\.mjs: not found \(looked for .*detectors\/nope\.mjs/,
      ],
      ['../outside.mjs', /module must be a path inside the project/],
      ['detectors/fixed.txt', /module must be a JavaScript file \(\.mjs, \.js, \.cjs\)/],
    ])('module %s', (module, message) => {
      expect(() => createDetector('custom', { module }, { root })).toThrow(message);
    });

    it('a directory, and a symlink the operator placed in the project (followed)', async () => {
      fs.mkdirSync(path.join(root, 'dir.mjs'));
      expect(() => createDetector('custom', { module: 'dir.mjs' }, { root })).toThrow(/dir\.mjs is not a file/);
      const shared = project({ 'x.mjs': FIXED });
      fs.symlinkSync(shared, path.join(root, 'shared'));
      const out = await run(root, { module: 'shared/x.mjs', options: { center: 0 } }, [0, 9]);
      expect(Array.from(out.isAnomaly)).toEqual([0, 1]);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['noexport.mjs', {}, /noexport\.mjs exports no detect function \(found: x\)/],
      ['syntax.mjs', {}, /syntax\.mjs: cannot load it: .*Unexpected/],
      ['badschema.mjs', {}, /badschema\.mjs: paramsSchema is not a valid JSON Schema/],
      [
        'detectors/fixed.mjs',
        {},
        /options do not match its paramsSchema: options must have required property 'center'/,
      ],
      [
        'detectors/fixed.mjs',
        { center: 1, width: -1, extra: 2 },
        /options must NOT have additional properties 'extra'; options\.width must be >= 0/,
      ],
      ['throws.mjs', {}, /throws\.mjs: detect\(\) threw: boom/],
      ['exits.mjs', {}, /exits\.mjs: the worker exited \(code 3\) before returning a result/],
      ['returns.mjs', { kind: 'short' }, /malformed result: 'lower' has 1 entries, expected 3 \(one per input point\)/],
      ['returns.mjs', { kind: 'nan' }, /malformed result: lower\[0\] is NaN; use null/],
      ['returns.mjs', { kind: 'string' }, /malformed result: 'lower' must be an array, got string/],
      ['returns.mjs', { kind: 'inverted' }, /malformed result: lower\[0\] \(2\) is above upper\[0\] \(1\)/],
      ['returns.mjs', { kind: 'nothing' }, /malformed result: expected an object \{ lower, upper/],
      ['returns.mjs', { kind: 'flags' }, /malformed result: anomaly\[0\] must be true or false, got string/],
      ['returns.mjs', { kind: 'fn' }, /returned a value that cannot be passed back/],
    ])('%s %j', async (module, options, message) => {
      const p = run(root, { module, options }, [1, 2, 3]);
      await expect(p).rejects.toThrow(message);
      await expect(p).rejects.toThrow(`metric 'm', detector #2 (custom): custom detector module ${module}`);
    });

    it('a hanging module is stopped at timeout_ms', async () => {
      await expect(run(root, { module: 'hangs.mjs', timeout_ms: 300 }, [1])).rejects.toThrow(
        'custom detector module hangs.mjs: timed out after 300 ms (timeout_ms); the worker was stopped'
      );
    });

    it('a module over its heap limit is stopped', async () => {
      await expect(run(root, { module: 'hog.mjs', memory_mb: 16, timeout_ms: 60_000 }, [1])).rejects.toThrow(
        'custom detector module hog.mjs: ran out of memory (memory_mb: 16); the worker was stopped'
      );
    });

    it('has no synchronous detect', () => {
      const d = createDetector('custom', { module: 'detectors/fixed.mjs' }, { root });
      expect(() => d.detect(input([1]))).toThrow(/run in a worker thread/);
    });
  });

  it('checkResult reads typed arrays and nulls', () => {
    const r = checkResult('m', { lower: new Float64Array([1, 2]), upper: [null, 3], anomaly: [0, 1] }, 2);
    expect(Array.from(r.upper)).toEqual([NaN, 3]);
    expect(Array.from(r.anomaly!)).toEqual([0, 1]);
    expect(() => checkResult('m', { lower: [1], upper: [2], state: { big: 'x'.repeat(17 * 1024 * 1024) } }, 1)).toThrow(
      /'state' is \d+ bytes as JSON; the limit is/
    );
    expect(() => checkResult('m', { lower: [Infinity], upper: [2] }, 1)).toThrow(DtkError);
  });

  it('the id ignores the execution limits but not the module or its options', () => {
    const root = project({ 'a.mjs': FIXED, 'b.mjs': FIXED });
    const id = (p: Record<string, unknown>) => createDetector('custom', p, { root }).identity.id;
    const base = { module: 'a.mjs', options: { center: 1, width: 2 } };
    expect(id({ ...base, timeout_ms: 500, memory_mb: 64 })).toBe(id(base));
    expect(id({ ...base, options: { width: 2, center: 1 } })).toBe(id(base));
    expect(id({ ...base, module: 'b.mjs' })).not.toBe(id(base));
    expect(id({ ...base, options: { center: 2, width: 2 } })).not.toBe(id(base));
    expect(createDetector('custom', base, { root }).identity.paramsJson).toBe(
      '{"module":"a.mjs","options":{"center":1,"width":2}}'
    );
  });
});
