import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

/** `${env:VAR}`, `${VAR}`, either with `:-default`; `$$` is a literal `$` (the Collector's confmap rules). */
const REFERENCE = /\$\$|\$\{(?:([A-Za-z][A-Za-z0-9+.-]*):)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{(?:[A-Za-z][A-Za-z0-9+.-]*:)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;
/** `${scheme:...}` other than `${NAME:-default}`: the Collector's file:, http:, yaml: providers. */
const OTHER_SOURCE = /\$\{([A-Za-z][A-Za-z0-9+.-]*):(?!-)[^}]*\}/;
const MALFORMED = /\$\{[^}]*\}?/;

export interface Substituted {
  value: unknown;
  /** References to unset variables without a default: they expand to '' as in the Collector, and are reported. */
  unset: string[];
}

/**
 * Expands environment references in every string value of a parsed config (keys are left
 * alone, as in the Collector). A value that is exactly one reference is re-read as YAML, so
 * `${env:BATCH_SIZE}` can fill a number; inside longer text the variable is inserted as text.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): Substituted {
  const unset: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return expand(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node))
        out[key] = walk(child, path === '' ? key : `${path}.${key}`);
      return out;
    }
    return node;
  };
  const expand = (text: string, path: string): unknown => {
    if (!text.includes('$')) return text;
    const source = OTHER_SOURCE.exec(text);
    if (source && source[1] !== 'env')
      throw new ConfigError(
        path,
        `unsupported config source "${source[1]}" in ${source[0]}; known sources: env`,
      );
    const replaced = text.replace(
      REFERENCE,
      (match, _scheme: string | undefined, name: string, fallback?: string) => {
        if (match === '$$') return '$';
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        unset.push(`${path}: \${${name}} is not set; using an empty value`);
        return '';
      },
    );
    const leftover = MALFORMED.exec(text.replace(REFERENCE, ''));
    if (leftover)
      throw new ConfigError(
        path,
        `malformed reference ${leftover[0]}: use \${env:NAME} or \${NAME:-default}`,
      );
    if (!WHOLE.test(text)) return replaced;
    // The whole value was one reference: read it as YAML so numbers and booleans keep their type.
    try {
      return parseYaml(replaced) as unknown;
    } catch {
      return replaced;
    }
  };
  return { value: walk(value, ''), unset };
}
