import type { AnyValue } from '../../model/attributes.js';
import type { OttlArgument, OttlPath, OttlStatement } from '../filter/ottl-ast.js';
import type { OttlContext, OttlContextName } from '../filter/ottl-eval.js';
import { compileCondition, compileGetter } from '../filter/ottl-eval.js';
import { goRegExp } from '../filter/ottl-regex.js';
import { replaceAllGo } from './go-template.js';
import {
  deleteKey,
  deleteMatchingKeys,
  keepKeys,
  limitKeys,
  replaceAllPatterns,
  truncateAll,
} from './map-functions.js';
import type { MapTarget } from './ottl-targets.js';
import { compileMapTarget, compileSetter } from './ottl-targets.js';

/** A compiled statement: runs on one span (or resource), or throws OttlRuntimeError. */
export type RunStatement = (ctx: OttlContext) => void;

/** A statement outside the supported subset, or with arguments of the wrong kind. */
export class StatementError extends Error {
  override readonly name = 'StatementError';
}

type Compile = (args: OttlArgument[], context: OttlContextName) => RunStatement;

/** The supported editors, with the signature that error messages show. */
const FUNCTIONS: Record<string, { arity: number; signature: string; compile: Compile }> = {
  set: {
    arity: 2,
    signature: 'set(target, value)',
    compile: ([target, value], context) => {
      const setter = compileSetter(pathArg(target, 'target'), context);
      const get = valueArg(value, context);
      // OTTL's set does nothing when the value is nil (an absent attribute, say).
      return (c) => {
        const v = get(c);
        if (v !== undefined && v !== null) setter(c, v);
      };
    },
  },
  delete_key: {
    arity: 2,
    signature: 'delete_key(map, "key")',
    compile: ([target, key], context) => {
      const map = mapArg(target, context);
      const k = stringArg(key, 'key');
      return (c) => deleteKey(map(c), k);
    },
  },
  delete_matching_keys: {
    arity: 2,
    signature: 'delete_matching_keys(map, "regex")',
    compile: ([target, pattern], context) => {
      const map = mapArg(target, context);
      const re = regexArg(pattern, '');
      return (c) => deleteMatchingKeys(map(c), re);
    },
  },
  keep_keys: {
    arity: 2,
    signature: 'keep_keys(map, ["key", ...])',
    compile: ([target, keys], context) => {
      const map = mapArg(target, context);
      const keep = new Set(stringListArg(keys, 'keys'));
      return (c) => keepKeys(map(c), keep);
    },
  },
  replace_pattern: {
    arity: 3,
    signature: 'replace_pattern(target, "regex", "replacement")',
    compile: ([target, pattern, replacement], context) => {
      const path = pathArg(target, 'target');
      const setter = compileSetter(path, context);
      const get = compileGetter(path.path, path.key, context, path.column);
      const re = regexArg(pattern, 'g');
      const template = stringArg(replacement, 'replacement');
      return (c) => {
        const v = get(c);
        if (typeof v === 'string') setter(c, replaceAllGo(v, re, template));
      };
    },
  },
  replace_all_patterns: {
    arity: 4,
    signature: 'replace_all_patterns(map, "key" | "value", "regex", "replacement")',
    compile: ([target, mode, pattern, replacement], context) => {
      const map = mapArg(target, context);
      const m = stringArg(mode, 'mode');
      if (m !== 'key' && m !== 'value') throw new StatementError(`mode must be "key" or "value", got "${m}"`);
      const re = regexArg(pattern, 'g');
      const template = stringArg(replacement, 'replacement');
      return (c) => replaceAllPatterns(map(c), m, re, template);
    },
  },
  truncate_all: {
    arity: 2,
    signature: 'truncate_all(map, limit)',
    compile: ([target, limit], context) => {
      const map = mapArg(target, context);
      const n = countArg(limit, 'limit');
      return (c) => truncateAll(map(c), n);
    },
  },
  limit: {
    arity: 3,
    signature: 'limit(map, limit, ["priority key", ...])',
    compile: ([target, limit, priority], context) => {
      const map = mapArg(target, context);
      const n = countArg(limit, 'limit');
      const keys = new Set(stringListArg(priority, 'priority_keys'));
      if (keys.size > n)
        throw new StatementError(`priority_keys (${keys.size}) must not outnumber the limit (${n})`);
      return (c) => limitKeys(map(c), n, keys);
    },
  },
};

export const SUPPORTED_FUNCTIONS = Object.values(FUNCTIONS).map((f) => f.signature);

/**
 * Compiles a parsed statement in its context, checking the function and its arguments now so a
 * statement outside the subset fails at start. The `where` condition runs first.
 */
export function compileStatement(statement: OttlStatement, context: OttlContextName): RunStatement {
  const fn = Object.hasOwn(FUNCTIONS, statement.fn) ? FUNCTIONS[statement.fn] : undefined;
  if (!fn)
    throw new StatementError(
      `function ${statement.fn} is not supported; supported: ${SUPPORTED_FUNCTIONS.join(', ')}`,
    );
  if (statement.args.length !== fn.arity)
    throw new StatementError(`${statement.fn} takes ${fn.arity} arguments: ${fn.signature}`);
  const run = fn.compile(statement.args, context);
  if (!statement.where) return run;
  const where = compileCondition(statement.where, context);
  return (c) => {
    if (where(c)) run(c);
  };
}

function pathArg(arg: OttlArgument, what: string): OttlPath {
  if (arg.kind !== 'path') throw new StatementError(`the ${what} must be a path`);
  return arg;
}

function mapArg(arg: OttlArgument, context: OttlContextName): MapTarget {
  return compileMapTarget(pathArg(arg, 'target'), context);
}

function stringArg(arg: OttlArgument, what: string): string {
  if (arg.kind !== 'literal' || typeof arg.value !== 'string')
    throw new StatementError(`${what} must be a string literal`);
  return arg.value;
}

function regexArg(arg: OttlArgument, flags: string): RegExp {
  const source = stringArg(arg, 'the pattern');
  try {
    return goRegExp(source, flags);
  } catch (error) {
    throw new StatementError(`invalid regular expression: ${(error as Error).message}`);
  }
}

function countArg(arg: OttlArgument, what: string): number {
  if (arg.kind !== 'literal' || typeof arg.value !== 'bigint')
    throw new StatementError(`${what} must be a whole number`);
  if (arg.value < 0n) throw new StatementError(`${what} must not be negative, got ${arg.value}`);
  return Number(arg.value);
}

function stringListArg(arg: OttlArgument, what: string): string[] {
  if (arg.kind !== 'list') throw new StatementError(`${what} must be a list of strings, e.g. ["a", "b"]`);
  return arg.items.map((item) => stringArg(item, `each of ${what}`));
}

/** A value argument: a path's current value, a literal, or a list of literals. */
function valueArg(arg: OttlArgument, context: OttlContextName): (c: OttlContext) => AnyValue | undefined {
  if (arg.kind === 'path') return compileGetter(arg.path, arg.key, context, arg.column);
  if (arg.kind === 'literal') {
    const v = arg.value;
    return () => v;
  }
  const list = arg.items.map((item) => {
    if (item.kind !== 'literal') throw new StatementError('a list value may hold only literals');
    return item.value;
  });
  return () => [...list];
}
