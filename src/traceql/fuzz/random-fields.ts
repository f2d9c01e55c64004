import type { Rng } from './random.js';

/**
 * Random pieces of TraceQL inside `{ … }`: attributes, intrinsics, literals and conditions, all
 * type-correct, so that a query built from them passes validation.
 */

const PLAIN_NAMES = [
  'foo',
  'http.status_code',
  'service.name',
  'db.statement',
  'k8s.pod.name',
  'a-b',
  'x_1',
  'count',
  'by',
];

/** Names that need quotes, hostile ones included. */
const QUOTED_NAMES = [
  'http.route',
  'a b',
  'quote"d',
  'back\\slash',
  'x=y',
  '名前',
  'emoji 😀',
  "')) OR 1=1 --",
  'name',
  'tab\there',
  '',
];

const SCOPES = [
  '.',
  'span.',
  'resource.',
  'event.',
  'link.',
  'instrumentation.',
  'parent.',
  'parent.span.',
  'parent.resource.',
];

export function randomAttribute(rng: Rng): string {
  const scope = rng.pick(SCOPES);
  if (rng.chance(0.75)) return scope + rng.pick(PLAIN_NAMES);
  const name = rng.pick(QUOTED_NAMES).replace(/[\\"]/g, '\\$&');
  return `${scope}"${name}"`;
}

type Typed = 'string' | 'status' | 'kind' | 'duration' | 'integer' | 'any';

const INTRINSICS: readonly (readonly [string, Typed])[] = [
  ['name', 'string'],
  ['span:name', 'string'],
  ['statusMessage', 'string'],
  ['span:statusMessage', 'string'],
  ['rootName', 'string'],
  ['trace:rootName', 'string'],
  ['rootServiceName', 'string'],
  ['trace:rootService', 'string'],
  ['span:id', 'string'],
  ['trace:id', 'string'],
  ['span:parentID', 'string'],
  ['event:name', 'string'],
  ['link:traceID', 'string'],
  ['link:spanID', 'string'],
  ['instrumentation:name', 'any'],
  ['instrumentation:version', 'any'],
  ['status', 'status'],
  ['span:status', 'status'],
  ['kind', 'kind'],
  ['span:kind', 'kind'],
  ['duration', 'duration'],
  ['span:duration', 'duration'],
  ['traceDuration', 'duration'],
  ['trace:duration', 'duration'],
  ['event:timeSinceStart', 'duration'],
  ['span:childCount', 'integer'],
  ['.duration', 'duration'],
];

/** A field that an aggregate or a metrics function may take. */
export function randomReference(rng: Rng): string {
  if (rng.chance(0.5)) return randomAttribute(rng);
  return rng.pick([
    'duration',
    'span:duration',
    'traceDuration',
    'span:childCount',
    'name',
    'status',
    'kind',
  ]);
}

const STRING_CONTENTS = [
  'user-service',
  '',
  "')) OR 1=1 --",
  'say "hi"',
  'back\\slash',
  'new\nline',
  'tab\t',
  'ünïcödé',
  '日本語',
  '😀',
  '\u0001',
  'GET /api/.*',
  '%_\\%',
];

/**
 * The contents above as regular expressions RE2 accepts (validation refuses the rest, see
 * re2-syntax.ts): the injection's parentheses escaped.
 */
const REGEX_CONTENTS = STRING_CONTENTS.map((content) =>
  content === "')) OR 1=1 --" ? "'\\)\\) OR 1=1 --" : content,
);

/** A string literal for the right of `=~` / `!~`. */
function randomRegex(rng: Rng): string {
  return randomString(rng, REGEX_CONTENTS);
}

export function randomString(rng: Rng, contents: readonly string[] = STRING_CONTENTS): string {
  const content = rng.pick(contents);
  if (rng.chance(0.15) && !content.includes('`')) return `\`${content}\``;
  const escaped = content.replace(
    /[\\"\p{Cc}]/gu,
    (char) =>
      ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t' })[char] ??
      `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return rng.chance(0.1) ? `"${escaped}\\u00e9"` : `"${escaped}"`;
}

const INTEGERS = ['0', '1', '200', '500', '007', '9223372036854775807', '-1', '-9223372036854775807', '42'];
const FLOATS = ['1.5', '.5', '0.0', '-0.0', '1.5e3', '2E-3', '1e21', '-2.25', '3.14159'];
const DURATIONS = [
  '300ms',
  '1s',
  '1.5s',
  '2m',
  '1h',
  '1h30m',
  '250us',
  '10µs',
  '5ns',
  '1d',
  '-1s',
  '.5s',
  '1h15m30.918s',
];

export function randomNumber(rng: Rng, type: 'integer' | 'float' | 'duration' | 'any' = 'any'): string {
  const pick = type === 'any' ? rng.pick(['integer', 'float', 'duration'] as const) : type;
  if (pick === 'integer') return rng.pick(INTEGERS);
  if (pick === 'float') return rng.pick(FLOATS);
  return rng.pick(DURATIONS);
}

const STATUS = ['ok', 'error', 'unset'];
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const ORDERING = ['=', '!=', '<', '<=', '>', '>='];

/** One comparison (or other boolean leaf) inside a filter. */
export function randomComparison(rng: Rng): string {
  switch (rng.int(8)) {
    case 0: {
      const [intrinsic, type] = rng.pick(INTRINSICS);
      return typedComparison(rng, intrinsic, type);
    }
    case 1: {
      const attribute = randomAttribute(rng);
      // Tempo refuses `resource.service.name = nil`: every span has one.
      return `${attribute} ${attribute === 'resource.service.name' ? '!=' : rng.pick(['=', '!='])} nil`;
    }
    case 2:
      return `${randomAttribute(rng)} ${rng.pick(['+', '-', '*', '/', '%', '^'])} ${randomNumber(rng, 'integer')} ${rng.pick(ORDERING)} ${randomNumber(rng, 'float')}`;
    case 3:
      return `duration ${rng.pick(['*', '/'])} ${randomNumber(rng, 'integer')} > ${randomNumber(rng, 'duration')}`;
    case 4:
      return rng.pick(['true', 'false', `!${randomAttribute(rng)}`, randomAttribute(rng)]);
    case 5:
      return `-${randomAttribute(rng)} ${rng.pick(ORDERING)} ${randomNumber(rng)}`;
    default:
      return typedComparison(rng, randomAttribute(rng), 'any');
  }
}

function typedComparison(rng: Rng, field: string, type: Typed): string {
  switch (type) {
    case 'status':
      return `${field} ${rng.pick(['=', '!='])} ${rng.pick(STATUS)}`;
    case 'kind':
      return `${field} ${rng.pick(['=', '!='])} ${rng.pick(KINDS)}`;
    case 'string': {
      const operator = rng.pick([...ORDERING, '=~', '!~']);
      return `${field} ${operator} ${operator.endsWith('~') ? randomRegex(rng) : randomString(rng)}`;
    }
    case 'duration':
    case 'integer':
      return `${field} ${rng.pick(ORDERING)} ${randomNumber(rng, type === 'integer' ? 'integer' : 'any')}`;
    case 'any':
      switch (rng.int(4)) {
        case 0:
          return `${field} ${rng.pick(['=~', '!~'])} ${randomRegex(rng)}`;
        case 1:
          return `${field} ${rng.pick(['=', '!='])} ${rng.pick(['true', 'false'])}`;
        case 2:
          return `${field} ${rng.pick(ORDERING)} ${randomString(rng)}`;
        default:
          return `${field} ${rng.pick(ORDERING)} ${randomNumber(rng)}`;
      }
  }
}

/** A boolean field expression up to `depth` levels of `&&`, `||`, `!( )` and parentheses. */
export function randomCondition(rng: Rng, depth: number): string {
  if (depth <= 0 || rng.chance(0.4)) return randomComparison(rng);
  switch (rng.int(4)) {
    case 0:
      return `!(${randomCondition(rng, depth - 1)})`;
    case 1:
      return `(${randomCondition(rng, depth - 1)})`;
    default:
      return `${randomCondition(rng, depth - 1)} ${rng.pick(['&&', '||'])} ${randomCondition(rng, depth - 1)}`;
  }
}
