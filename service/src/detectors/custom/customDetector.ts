import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  POINT_STATUS,
  bandDistance,
  type CustomParams,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectorInput,
} from '../../../../common/detectors';
import { DtkError, errorMessage } from '../../errors';
import { lowerBound } from '../forecast/grid';
import { allocateOutput } from '../output';
import { checkResult, type CustomResult } from './resultCheck';
import type { StateStore } from './stateStore';

/**
 * `type: custom`: a project's JavaScript module, called once per pipeline batch in a fresh worker thread with a
 * heap limit (`memory_mb`) and a deadline (`timeout_ms`). A fresh thread per call costs ~30 ms and buys a clean
 * stop: terminating it ends whatever the module left running (timers, loops). The module's contract is in
 * docs/detectors-forecast.md.
 */

const WORKER = path.join(__dirname, 'customWorker.cjs');

export interface CustomModule {
  /** Absolute path. */
  file: string;
  /** As written in the metric file, for messages. */
  label: string;
}

/**
 * Resolves `module` against the project root. The path must stay inside the project as written (the schema
 * refuses absolute paths and `..`), so a definition made in the UI cannot name an arbitrary file; a symlink the
 * operator placed in the project is followed (e.g. a `detectors/` directory shared by two projects).
 */
export function resolveCustomModule(root: string, module: string): CustomModule {
  const label = `custom detector module ${module}`;
  const file = path.resolve(root, module);
  const rel = path.relative(path.resolve(root), file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new DtkError('config_invalid', `${label}: resolves to ${file}, outside the project ${root}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new DtkError(
      'config_invalid',
      `${label}: not found (looked for ${file}; module paths are relative to the project root ${root})`
    );
  }
  if (!stat.isFile()) {
    throw new DtkError('config_invalid', `${label}: ${file} is not a file`);
  }
  return { file, label };
}

interface WorkerReply {
  ok: boolean;
  stage?: string;
  message?: string;
  result?: unknown;
}

/** Stages where the module or its options are wrong (fix the configuration), as opposed to failing at run time. */
const CONFIG_STAGES = new Set(['load', 'export', 'params', 'result']);

/** One call in a fresh worker thread; rejects with a message naming the module and the problem. */
export function callModule(
  mod: CustomModule,
  params: CustomParams,
  input: DetectorInput,
  state: unknown,
  signal?: AbortSignal
): Promise<unknown> {
  const workerData = {
    modulePath: mod.file,
    label: mod.label,
    options: params.options,
    input: {
      timestamps: input.timestamps,
      values: input.values,
      evaluateFrom: input.evaluateFrom ?? null,
      intervalMs: input.intervalMs ?? null,
    },
    state,
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER, {
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: params.memory_mb,
        maxYoungGenerationSizeMb: Math.max(4, Math.min(64, Math.floor(params.memory_mb / 8))),
      },
    });
    const finish = (fn: () => void) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new DtkError(
              'internal',
              `${mod.label}: timed out after ${params.timeout_ms} ms (timeout_ms); the worker was stopped`
            )
          )
        ),
      params.timeout_ms
    );
    const onAbort = () => finish(() => reject(new DtkError('cancelled', `${mod.label}: stopped (shutdown)`)));
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerReply) =>
      finish(() => {
        if (m.ok) {
          resolve(m.result);
        } else {
          const code = CONFIG_STAGES.has(m.stage ?? '') ? 'config_invalid' : 'internal';
          reject(new DtkError(code, m.message ?? `${mod.label}: failed`, { details: { stage: m.stage } }));
        }
      })
    );
    worker.on('error', (e: Error & { code?: string }) =>
      finish(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DtkError(
                'internal',
                `${mod.label}: ran out of memory (memory_mb: ${params.memory_mb}); the worker was stopped`
              )
            : new DtkError('internal', `${mod.label}: crashed: ${errorMessage(e)}`)
        )
      )
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(new DtkError('internal', `${mod.label}: the worker exited (code ${code}) before returning a result`))
      )
    );
  });
}

function output(input: DetectorInput, r: CustomResult): DetectionOutput {
  const processed = Float64Array.from(input.values, (v) => (Number.isFinite(v) ? v + 0 : NaN));
  const out = allocateOutput(input, processed);
  const n = processed.length;
  const start = input.evaluateFrom === undefined ? 0 : lowerBound(input.timestamps, input.evaluateFrom);
  out.status.fill(POINT_STATUS.history, 0, start);
  for (let i = start; i < n; i++) {
    out.lower[i] = r.lower[i]!;
    out.upper[i] = r.upper[i]!;
    const x = processed[i]!;
    if (Number.isNaN(x)) {
      out.status[i] = POINT_STATUS.missingData;
      continue;
    }
    const d = bandDistance(x, r.lower[i]!, r.upper[i]!);
    const flagged = r.anomaly ? r.anomaly[i] === 1 : d > 0;
    if (flagged) {
      out.isAnomaly[i] = 1;
      out.distance[i] = Number.isNaN(d) ? 0 : d;
    }
  }
  const metadata = (i: number): DetectionMetadata => {
    if (out.status[i] === POINT_STATUS.history) {
      return { reason: 'history' };
    }
    const md: DetectionMetadata = { ...(r.metadata?.[i] ?? {}) };
    if (out.status[i] === POINT_STATUS.missingData) {
      return { reason: 'missing_data', ...md };
    }
    if (out.isAnomaly[i] && out.distance[i]! > 0) {
      md.direction = processed[i]! < out.lower[i]! ? 'below' : 'above';
      md.distance = out.distance[i];
    }
    return md;
  };
  return { ...out, expected: r.expected ?? undefined, metadata };
}

export interface CustomRunContext {
  /** The series' metric name: the state's key. Without it the state is neither read nor saved. */
  metric?: string;
  signal?: AbortSignal;
}

/** Calls the module, checks its result, saves its state and returns the per-point output. */
export async function runCustom(
  mod: CustomModule,
  params: CustomParams,
  detectorId: string,
  input: DetectorInput,
  ctx: CustomRunContext,
  states: StateStore
): Promise<DetectionOutput> {
  const keyed = ctx.metric !== undefined;
  const state = keyed ? states.read(ctx.metric!, detectorId) : null;
  const raw = await callModule(mod, params, input, state, ctx.signal);
  const result = checkResult(mod.label, raw, input.values.length);
  if (keyed && result.state !== undefined) {
    states.write(ctx.metric!, detectorId, params.module, result.state);
  }
  return output(input, result);
}
