import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../pipeline/config-error.js';
import { parseProcessorConfig } from '../processor-test-support.js';
import { transformProcessorFactory } from './transform-config.js';

const P = 'processors.transform.trace_statements[0]';
const SUPPORTED =
  'set(target, value), delete_key(map, "key"), delete_matching_keys(map, "regex"), keep_keys(map, ["key", ...]), replace_pattern(target, "regex", "replacement"), replace_all_patterns(map, "key" | "value", "regex", "replacement"), truncate_all(map, limit), limit(map, limit, ["priority key", ...])';

const span = (statement: string): string =>
  `trace_statements: [{ context: span, statements: [${JSON.stringify(statement)}] }]`;

/** [config, exact error] */
const CASES: [string, string][] = [
  ['', 'processors.transform.trace_statements: at least one statement is required'],
  [
    'error_mode: loud\ntrace_statements: []',
    'processors.transform.error_mode: "loud" is not one of propagate, ignore, silent',
  ],
  [
    span('merge_maps(attributes, resource.attributes, "upsert")'),
    `${P}.statements[0]: invalid OTTL "merge_maps(attributes, resource.attributes, \\"upsert\\")": function merge_maps is not supported; supported: ${SUPPORTED}`,
  ],
  [
    span('set(name, Concat(["a", "b"], "-"))'),
    `${P}.statements[0]: invalid OTTL "set(name, Concat([\\"a\\", \\"b\\"], \\"-\\"))": at column 11: Concat(...) is not supported as an argument: arguments are paths, values and lists`,
  ],
  [span('set(name "x")'), `${P}.statements[0]: invalid OTTL "set(name \\"x\\")": at column 10: expected ")"`],
  [
    span('set(name)'),
    `${P}.statements[0]: invalid OTTL "set(name)": set takes 2 arguments: set(target, value)`,
  ],
  [
    span('set(span_id.string, "x")'),
    `${P}.statements[0]: invalid OTTL "set(span_id.string, \\"x\\")": at column 5: span_id.string is not a settable path in span context; known: name, kind, status.code, status.message, trace_state, attributes["key"], instrumentation_scope.name, instrumentation_scope.version, instrumentation_scope.attributes["key"], resource.attributes["key"]`,
  ],
  [
    span('delete_key(name, "x")'),
    `${P}.statements[0]: invalid OTTL "delete_key(name, \\"x\\")": at column 12: name is not a map in span context; known: attributes, instrumentation_scope.attributes, resource.attributes`,
  ],
  [
    span('delete_matching_keys(attributes, "(")'),
    `${P}.statements[0]: invalid OTTL "delete_matching_keys(attributes, \\"(\\")": invalid regular expression: Invalid regular expression: /(/: Unterminated group`,
  ],
  [
    span('limit(attributes, -1, [])'),
    `${P}.statements[0]: invalid OTTL "limit(attributes, -1, [])": limit must not be negative, got -1`,
  ],
  [
    span('limit(attributes, 1, ["a", "b"])'),
    `${P}.statements[0]: invalid OTTL "limit(attributes, 1, [\\"a\\", \\"b\\"])": priority_keys (2) must not outnumber the limit (1)`,
  ],
  [
    span('keep_keys(attributes, "a")'),
    `${P}.statements[0]: invalid OTTL "keep_keys(attributes, \\"a\\")": keys must be a list of strings, e.g. ["a", "b"]`,
  ],
  [
    span('replace_all_patterns(attributes, "both", "a", "b")'),
    `${P}.statements[0]: invalid OTTL "replace_all_patterns(attributes, \\"both\\", \\"a\\", \\"b\\")": mode must be "key" or "value", got "both"`,
  ],
  [
    span('set(name, "x") where duration > 5'),
    `${P}.statements[0]: invalid OTTL "set(name, \\"x\\") where duration > 5": at column 22: unknown path duration in span context; known: name, kind, status.code, status.message, trace_id.string, span_id.string, parent_span_id.string, trace_state, start_time_unix_nano, end_time_unix_nano, dropped_attributes_count, dropped_events_count, dropped_links_count, attributes["key"], instrumentation_scope.name, instrumentation_scope.version, instrumentation_scope.dropped_attributes_count, instrumentation_scope.attributes["key"], resource.dropped_attributes_count, resource.attributes["key"]`,
  ],
  [
    'trace_statements: [{ context: resource, statements: [\'set(name, "x")\'] }]',
    `${P}.statements[0]: invalid OTTL "set(name, \\"x\\")": at column 5: name is not a settable path in resource context; known: attributes["key"]`,
  ],
  [
    'trace_statements: [{ context: spanlink, statements: [\'set(name, "x")\'] }]',
    `${P}.context: "spanlink" is not one of resource, scope, span, spanevent`,
  ],
  [
    'trace_statements: [{ context: span, statements: [] }]',
    `${P}.statements: at least one statement is required`,
  ],
  [
    'trace_statements: [\'set(name, "x")\']',
    `${P}: cannot infer the context of path name: prefix every path with its context (resource., scope., span. or spanevent., e.g. span.name, resource.attributes["k"]), or give the group a context`,
  ],
  [
    'trace_statements: [{ context: span, statement: [], statements: [\'set(name, "x")\'] }]',
    `${P}: unknown key "statement"; known keys: conditions, context, error_mode, statements`,
  ],
  [
    'trace_statements: [{ context: span, conditions: ["name =="], statements: [\'set(name, "x")\'] }]',
    `${P}.conditions[0]: invalid OTTL "name ==": at column 8: expected a path, a value or IsMatch(...)`,
  ],
];

describe('transform processor config', () => {
  it.each(CASES)('refuses %j', (yaml, message) => {
    let error: unknown;
    try {
      parseProcessorConfig(transformProcessorFactory, yaml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
  });
});
