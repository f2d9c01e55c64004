import type { AnyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { traceIdHash } from '../probabilistic_sampler/trace-id-hash.js';
import type { Decision, Policy, PolicySpan, TraceView } from './sampled-trace.js';

const TYPES = [
  'always_sample',
  'latency',
  'status_code',
  'string_attribute',
  'numeric_attribute',
  'probabilistic',
  'rate_limiting',
  'and',
  'composite',
] as const;
type PolicyType = (typeof TYPES)[number];

const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

function attributeOf(s: PolicySpan, key: string): AnyValue | undefined {
  // The Collector's attribute policies look at span attributes, then resource attributes.
  const v = findAttribute(s.attributes, key);
  return v !== undefined ? v : findAttribute(s.resource.attributes, key);
}

/** Spans-per-second budget over whole seconds, as the Collector's rate_limiting policy counts. */
class SecondBudget {
  private second = -1;
  private spent = 0;
  constructor(private readonly perSecond: number) {}
  take(spans: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) [this.second, this.spent] = [second, 0];
    if (this.spent + spans > this.perSecond) return false;
    this.spent += spans;
    return true;
  }
}

const sampled = (yes: boolean): Decision => (yes ? 'sampled' : 'not_sampled');

/** Parses one entry of `policies` (or of an `and`/`composite` sub-policy list) into an evaluator. */
export function parsePolicy(node: ConfigNode, nested = false): Policy {
  const name = node.get('name').string();
  const allowed: readonly PolicyType[] = nested
    ? TYPES.filter((t) => t !== 'and' && t !== 'composite')
    : TYPES;
  const type = node.get('type').oneOf(allowed);
  const cfg = node.get(type);
  if (type !== 'always_sample') cfg.expectMapping();
  switch (type) {
    case 'always_sample':
      return { name, attributeKeys: [], evaluate: () => 'sampled' };
    case 'latency': {
      const threshold = cfg.get('threshold_ms').number(undefined, { min: 0 });
      const upper = cfg.get('upper_threshold_ms').number(0, { min: 0 });
      return {
        name,
        attributeKeys: [],
        evaluate: (t) => {
          const ms = Number(t.maxEnd - t.minStart) / 1e6;
          return sampled(upper > 0 ? ms >= threshold && ms <= upper : ms >= threshold);
        },
      };
    }
    case 'status_code': {
      const codes: readonly number[] = cfg
        .get('status_codes')
        .items()
        .map((i) => STATUS[i.oneOf(['OK', 'ERROR', 'UNSET'] as const)]);
      if (codes.length === 0) throw cfg.get('status_codes').error('needs at least one of OK, ERROR, UNSET');
      return {
        name,
        attributeKeys: [],
        evaluate: (t) => sampled(t.spans.some((s) => codes.includes(s.statusCode))),
      };
    }
    case 'string_attribute': {
      const key = cfg.get('key').string();
      const regex = cfg.get('enabled_regex_matching').bool(false);
      cfg.get('cache_max_size').number(0, { min: 0, integer: true }); // a Go-side cache size: nothing to size here
      const invert = cfg.get('invert_match').bool(false);
      const valuesNode = cfg.get('values');
      const match: (v: string) => boolean = regex
        ? (
            (res) => (v) =>
              res.some((re) => re.test(v))
          )(valuesNode.items().map((i) => i.regex()))
        : (
            (set) => (v) =>
              set.has(v)
          )(new Set(valuesNode.stringList()));
      return {
        name,
        attributeKeys: [key],
        evaluate: (t) => {
          const hit = t.spans.some((s) => {
            const v = attributeOf(s, key);
            return typeof v === 'string' && match(v);
          });
          // invert_match: a match means "do not sample, whatever the other policies say".
          if (invert) return hit ? 'inverted_not_sampled' : 'sampled';
          return sampled(hit);
        },
      };
    }
    case 'numeric_attribute': {
      const key = cfg.get('key').string();
      const min = cfg.get('min_value').number(Number.NEGATIVE_INFINITY);
      const max = cfg.get('max_value').number(Number.POSITIVE_INFINITY);
      const invert = cfg.get('invert_match').bool(false);
      const hitOf = (t: TraceView): boolean =>
        t.spans.some((s) => {
          const v = attributeOf(s, key);
          const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
          return n !== undefined && n >= min && n <= max;
        });
      return {
        name,
        attributeKeys: [key],
        evaluate: (t) => (invert ? (hitOf(t) ? 'inverted_not_sampled' : 'sampled') : sampled(hitOf(t))),
      };
    }
    case 'probabilistic': {
      const percentage = cfg.get('sampling_percentage').number(0, { min: 0, max: 100 });
      const salt = cfg.get('hash_salt').string('');
      const seed = salt === '' ? 0 : traceIdHash(Buffer.from(salt).toString('hex'), 0);
      // 32 bits of FNV-1a over (salt hash, trace id): the same trace gets the same verdict everywhere.
      const threshold = (percentage / 100) * 0x100000000;
      return { name, attributeKeys: [], evaluate: (t) => sampled(traceIdHash(t.traceId, seed) < threshold) };
    }
    case 'rate_limiting': {
      const budget = new SecondBudget(cfg.get('spans_per_second').number(undefined, { min: 0 }));
      return { name, attributeKeys: [], evaluate: (t, now) => sampled(budget.take(t.spans.length, now)) };
    }
    case 'and': {
      const subs = cfg
        .get('and_sub_policy')
        .items()
        .map((i) => parsePolicy(i, true));
      if (subs.length === 0) throw cfg.get('and_sub_policy').error('needs at least one sub-policy');
      return {
        name,
        attributeKeys: subs.flatMap((p) => p.attributeKeys),
        evaluate: (t, now) => {
          for (const p of subs) {
            const d = p.evaluate(t, now);
            if (d !== 'sampled') return d;
          }
          return 'sampled';
        },
      };
    }
    case 'composite':
      return parseComposite(name, cfg);
  }
}

/**
 * `composite`: sub-policies tried in `policy_order`; the first that samples spends from its
 * share (`rate_allocation` percent) of `max_total_spans_per_second`. A sub-policy without an
 * allocation may use what is left of the total.
 */
function parseComposite(name: string, cfg: ConfigNode): Policy {
  const total = cfg.get('max_total_spans_per_second').number(undefined, { min: 0 });
  const order = cfg.get('policy_order').stringList();
  const subs = new Map(
    cfg
      .get('composite_sub_policy')
      .items()
      .map((i) => {
        const p = parsePolicy(i, true);
        return [p.name, p] as const;
      }),
  );
  for (const [i, id] of order.entries())
    if (!subs.has(id))
      throw cfg.get('policy_order').error(`[${i}] "${id}" is not a composite_sub_policy name`);
  const shares = new Map<string, SecondBudget>();
  for (const a of cfg.get('rate_allocation').items()) {
    const policy = a.get('policy').string();
    const percent = a.get('percent').number(undefined, { min: 0, max: 100 });
    shares.set(policy, new SecondBudget((total * percent) / 100));
  }
  const overall = new SecondBudget(total);
  return {
    name,
    attributeKeys: [...subs.values()].flatMap((p) => p.attributeKeys),
    evaluate: (t, now) => {
      for (const id of order) {
        if (subs.get(id)!.evaluate(t, now) !== 'sampled') continue;
        const share = shares.get(id);
        if (
          share
            ? share.take(t.spans.length, now) && overall.take(t.spans.length, now)
            : overall.take(t.spans.length, now)
        )
          return 'sampled';
        return 'not_sampled';
      }
      return 'not_sampled';
    },
  };
}
