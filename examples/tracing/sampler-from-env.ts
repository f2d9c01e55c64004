import { diag } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

/** The values of `OTEL_TRACES_SAMPLER` this helper understands (the SDK specification's built-ins). */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** The specification's default when `OTEL_TRACES_SAMPLER` is unset or not understood. */
const DEFAULT_SAMPLER: SamplerName = 'parentbased_always_on';

/**
 * Picks the sampler from `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`, as the SDK
 * configuration specification describes them. Done here, explicitly, rather than left to the
 * SDK's own environment reading (which still runs for its default, and warns about a bad value
 * a second time), so the choice is visible in the example and unit-testable with any
 * environment object. A bad value warns and falls back, as the specification asks: a typo in
 * a variable must not stop a service from starting.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const raw = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  let name: SamplerName = DEFAULT_SAMPLER;
  if (raw !== '') {
    if ((SAMPLER_NAMES as readonly string[]).includes(raw)) name = raw as SamplerName;
    else diag.warn(`OTEL_TRACES_SAMPLER="${raw}" is not one of ${SAMPLER_NAMES.join(', ')}; using ${name}`);
  }
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratioFromEnv(env));
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratioFromEnv(env)) });
  }
}

/** `OTEL_TRACES_SAMPLER_ARG` as a probability in [0, 1]; 1.0 when missing or invalid (the spec's default). */
export function ratioFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw.trim() === '') return 1;
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    diag.warn(`OTEL_TRACES_SAMPLER_ARG="${raw}" is not a probability in [0, 1]; using 1.0`);
    return 1;
  }
  return ratio;
}
