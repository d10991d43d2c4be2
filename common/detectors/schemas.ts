import { z } from 'zod';
import { customParamsSchema, type CustomParams } from './customSchema';
import { robustParamsSchema, type RobustDetectorParams } from './robustSchema';
import {
  etsParamsSchema,
  mstlParamsSchema,
  prophetParamsSchema,
  type EtsParams,
  type MstlParams,
  type ProphetParams,
} from './forecastSchemas';
import { atLeast, executionParams, got, positiveNumber, postprocessParams, unknownKeyMessage } from './schemaParts';
import { INPUT_TYPES, SMOOTHING_METHODS, WINDOW_WEIGHTS, type DetectorType } from './types';

/**
 * Parameter schemas of detectkit 0.3.5's detectors (reference §4.5–4.8): same names, defaults and messages.
 * Each message keeps detectkit's wording and adds the allowed range and the offending value, because the
 * service prefixes it with the metric, the detector's position and the parameter name. The post-processing
 * parameters (schemaParts.ts) are ours; at their defaults they change nothing.
 */

/** detectkit's documentation spellings (Appendix B), accepted and normalised before hashing. */
export const INPUT_TYPE_ALIASES: Record<string, (typeof INPUT_TYPES)[number]> = {
  raw: 'values',
  diff: 'absolute_changes',
  pct_change: 'changes',
};

const inputType = z
  .preprocess(
    (v) => (typeof v === 'string' && v in INPUT_TYPE_ALIASES ? INPUT_TYPE_ALIASES[v] : v),
    z.enum(INPUT_TYPES, {
      error: (iss) => `Unknown input_type: ${String(iss.input)}. Supported values: ${INPUT_TYPES.join(', ')}`,
    })
  )
  .default('values');

const smoothing = z
  .enum(SMOOTHING_METHODS, {
    error: (iss) =>
      `Unknown smoothing method: ${String(iss.input)}. Supported methods: ${SMOOTHING_METHODS.join(', ')}`,
  })
  .nullable()
  .default(null);

const windowWeights = z
  .enum(WINDOW_WEIGHTS, {
    error: (iss) =>
      `Unknown window_weights method: ${String(iss.input)}. Supported methods: ${WINDOW_WEIGHTS.join(', ')}`,
  })
  .nullable()
  .default(null);

const componentSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'each seasonality component must be a column name or a non-empty list of column names',
});

interface WindowedDefaults {
  threshold: number;
  minSamples: number;
  minSamplesFloor: number;
  minSamplesWhy?: string;
  minPerGroup: number;
  minPerGroupFloor: number;
  minPerGroupWhy?: string;
}

function windowedSchema(d: WindowedDefaults) {
  return z
    .strictObject(
      {
        threshold: positiveNumber('threshold', d.threshold),
        window_size: atLeast('window_size', 1, 100),
        min_samples: atLeast('min_samples', d.minSamplesFloor, d.minSamples, d.minSamplesWhy),
        seasonality_components: z
          .array(componentSchema, { error: 'seasonality_components must be a list' })
          .nullable()
          .default(null),
        min_samples_per_group: atLeast('min_samples_per_group', d.minPerGroupFloor, d.minPerGroup, d.minPerGroupWhy),
        input_type: inputType,
        smoothing,
        smoothing_alpha: z
          .number({ error: (iss) => `alpha must be a number (allowed: (0, 1]), got ${got(iss.input)}` })
          .refine((v) => v > 0 && v <= 1, {
            error: (iss) => `alpha must be in (0, 1], got ${got(iss.input)} (allowed: (0, 1])`,
          })
          .default(0.3),
        smoothing_window: atLeast('smoothing_window', 1, 10),
        window_weights: windowWeights,
        weight_decay: z
          .number({ error: (iss) => `weight_decay must be a number (allowed: (0, 1)), got ${got(iss.input)}` })
          .refine((v) => v > 0 && v < 1, {
            error: (iss) => `weight_decay must be in (0, 1), got ${got(iss.input)} (allowed: (0, 1))`,
          })
          .default(0.95),
        ...postprocessParams,
        ...executionParams,
      },
      { error: unknownKeyMessage }
    )
    .superRefine((p, ctx) => {
      if (p.min_samples > p.window_size) {
        ctx.addIssue({
          code: 'custom',
          path: ['min_samples'],
          message: `min_samples cannot exceed window_size (allowed: ${d.minSamplesFloor}..${p.window_size}), got ${p.min_samples}`,
        });
      }
    });
}

export const madParamsSchema = windowedSchema({
  threshold: 3.0,
  minSamples: 30,
  minSamplesFloor: 1,
  // detectkit does not validate MAD's min_samples_per_group; 0 keeps every group.
  minPerGroup: 10,
  minPerGroupFloor: 0,
});

export const zscoreParamsSchema = windowedSchema({
  threshold: 3.0,
  minSamples: 30,
  minSamplesFloor: 2,
  minPerGroup: 3,
  minPerGroupFloor: 1,
});

export const iqrParamsSchema = windowedSchema({
  threshold: 1.5,
  minSamples: 30,
  minSamplesFloor: 4,
  minSamplesWhy: ' (for quartiles)',
  minPerGroup: 4,
  minPerGroupFloor: 4,
  minPerGroupWhy: ' (for quartiles)',
});

const bound = (name: string) =>
  z
    .number({ error: (iss) => `${name} must be a finite number or null, got ${got(iss.input)}` })
    .nullable()
    .default(null);

export const manualBoundsParamsSchema = z
  .strictObject(
    {
      lower_bound: bound('lower_bound'),
      upper_bound: bound('upper_bound'),
      input_type: inputType,
      ...postprocessParams,
      ...executionParams,
    },
    { error: unknownKeyMessage }
  )
  .superRefine((p, ctx) => {
    if (p.lower_bound === null && p.upper_bound === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['lower_bound'],
        message: 'At least one of lower_bound or upper_bound must be specified',
      });
    } else if (p.lower_bound !== null && p.upper_bound !== null && !(p.lower_bound < p.upper_bound)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lower_bound'],
        message: `lower_bound must be less than upper_bound (allowed: < ${p.upper_bound}), got ${p.lower_bound}`,
      });
    }
  });

export type WindowedParams = z.output<typeof madParamsSchema>;
export type MadParams = WindowedParams;
export type ZScoreParams = z.output<typeof zscoreParamsSchema>;
export type IqrParams = z.output<typeof iqrParamsSchema>;
export type ManualBoundsParams = z.output<typeof manualBoundsParamsSchema>;

export const DETECTOR_PARAM_SCHEMAS = {
  mad: madParamsSchema,
  zscore: zscoreParamsSchema,
  iqr: iqrParamsSchema,
  manual_bounds: manualBoundsParamsSchema,
  manual: manualBoundsParamsSchema,
  robust: robustParamsSchema,
  mstl: mstlParamsSchema,
  ets: etsParamsSchema,
  prophet: prophetParamsSchema,
  custom: customParamsSchema,
} as const satisfies Record<DetectorType, z.ZodType>;

/** One problem with a detector's parameters: the parameter (empty for the whole object) and the message. */
export interface ParamIssue {
  param: string;
  message: string;
}

export type ParamsResult<T> = { ok: true; params: T } | { ok: false; issues: ParamIssue[] };

/** Parsed parameters by detector type. */
export type ParamsOf<T extends DetectorType> = T extends 'manual_bounds' | 'manual'
  ? ManualBoundsParams
  : T extends 'robust'
    ? RobustDetectorParams
    : T extends 'mstl'
      ? MstlParams
      : T extends 'ets'
        ? EtsParams
        : T extends 'prophet'
          ? ProphetParams
          : T extends 'custom'
            ? CustomParams
            : WindowedParams;

/** Any detector's parsed parameters. */
export type AnyDetectorParams = ParamsOf<DetectorType>;

/** Validates raw parameters (from YAML, JSON or the UI) and fills detectkit's defaults. */
export function parseDetectorParams<T extends DetectorType>(type: T, raw: unknown): ParamsResult<ParamsOf<T>> {
  const r = DETECTOR_PARAM_SCHEMAS[type].safeParse(raw ?? {});
  if (r.success) {
    return { ok: true, params: r.data as ParamsOf<T> };
  }
  return {
    ok: false,
    issues: r.error.issues.map((iss) => ({ param: iss.path.map(String).join('.'), message: iss.message })),
  };
}
