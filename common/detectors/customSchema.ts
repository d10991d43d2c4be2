import { z } from 'zod';
import { atLeast, executionParams, got, intBetween, postprocessParams, unknownKeyMessage } from './schemaParts';

/**
 * `type: custom`: a JavaScript module of the project run in a worker thread (docs/detectors-forecast.md, "Custom
 * detectors"). These are the parameters dtk itself reads; `options` go to the module, which validates them with
 * its own schema when it runs.
 */

/** Extensions Node loads as JavaScript without a loader: ES modules (`.mjs`, `.js`) or CommonJS (`.cjs`). */
export const CUSTOM_MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'] as const;

export const customParamsSchema = z.strictObject(
  {
    /** Path of the module, relative to the project root (it must stay inside the project). */
    module: z
      .string({
        error: (iss) =>
          `module is required: the path of a .mjs/.js file relative to the project root, got ${got(iss.input)}`,
      })
      .refine((s) => s.trim().length > 0, { error: 'module must not be empty' })
      .refine((s) => CUSTOM_MODULE_EXTENSIONS.some((e) => s.endsWith(e)), {
        error: (iss) =>
          `module must be a JavaScript file (${CUSTOM_MODULE_EXTENSIONS.join(', ')}), got ${got(iss.input)}`,
      })
      .refine((s) => !s.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(s) && !s.split(/[\\/]/).includes('..'), {
        error: (iss) =>
          `module must be a path inside the project, relative to its root (no leading / and no ..), got ${got(iss.input)}`,
      }),
    /** The module's own parameters, checked by its `paramsSchema` / `validateParams`. */
    options: z
      .record(z.string(), z.unknown(), { error: 'options must be a mapping of the module’s parameter names to values' })
      .default({}),
    /** Points of history loaded before each batch (the module sees them before the points it judges). */
    window_size: atLeast('window_size', 0, 0),
    /** Per call: the worker is stopped and the run fails for this detector after this long. */
    timeout_ms: intBetween('timeout_ms', 100, 600_000, 10_000),
    /** Heap limit of the worker thread (V8 old generation); typed arrays' buffers are not counted. */
    memory_mb: intBetween('memory_mb', 16, 8192, 256),
    ...postprocessParams,
    ...executionParams,
  },
  { error: unknownKeyMessage }
);

export type CustomParams = z.output<typeof customParamsSchema>;

/** Execution limits: how the module runs, not what it computes, so they stay out of `detector_id`. */
export const CUSTOM_LIMIT_PARAMS = ['timeout_ms', 'memory_mb'] as const;
