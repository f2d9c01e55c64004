import { ConfigError } from './config-error.js';
import { parseGoDuration } from './go-duration.js';

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * A cursor over the parsed YAML that a component's config parser reads through. Every read
 * names the key it wants, so the node knows the component's keys: `checkUnknownKeys()` then
 * refuses any key nobody read, listing the known ones — nothing in a config is silently ignored.
 * Type errors carry the path (`exporters.otlp.tls.insecure: expected true or false`).
 */
export class ConfigNode {
  private readonly known = new Set<string>();
  private readonly children: ConfigNode[] = [];
  private readAsMap = false;

  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  /** True when the key was not written (or written with no value, which YAML reads as null). */
  get absent(): boolean {
    return this.value === undefined || this.value === null;
  }

  error(problem: string): ConfigError {
    return new ConfigError(this.path, problem);
  }

  /** The value as a mapping; a key written with no value (`batch:`) is an empty mapping, as in the Collector. */
  private map(): Record<string, unknown> {
    this.readAsMap = true;
    if (this.absent) return {};
    if (typeof this.value !== 'object' || Array.isArray(this.value))
      throw this.error(`expected a mapping of keys to values, got ${describe(this.value)}`);
    return this.value as Record<string, unknown>;
  }

  /** Declares that this value must be a mapping (possibly empty), so unknown keys in it are refused. */
  expectMapping(): void {
    this.map();
  }

  /** The child under `key`, which becomes a known key of this mapping. */
  get(key: string): ConfigNode {
    const map = this.map();
    this.known.add(key);
    const child = new ConfigNode(
      Object.hasOwn(map, key) ? map[key] : undefined,
      this.path === '' ? key : `${this.path}.${key}`,
    );
    this.children.push(child);
    return child;
  }

  has(key: string): boolean {
    this.known.add(key);
    return Object.hasOwn(this.map(), key);
  }

  /** Every key of a mapping whose keys are data (headers, component ids); all become known. */
  keys(): string[] {
    const keys = Object.keys(this.map());
    for (const key of keys) this.known.add(key);
    return keys;
  }

  /** The items of a sequence; absent is empty. */
  items(): ConfigNode[] {
    if (this.absent) return [];
    if (!Array.isArray(this.value)) throw this.error(`expected a list, got ${describe(this.value)}`);
    return this.value.map((item, i) => {
      const child = new ConfigNode(item, `${this.path}[${i}]`);
      this.children.push(child);
      return child;
    });
  }

  private orDefault<T>(fallback: T | undefined): T {
    if (fallback === undefined) throw this.error('is required');
    return fallback;
  }

  string(fallback?: string): string {
    if (this.absent) return this.orDefault(fallback);
    if (typeof this.value !== 'string') throw this.error(`expected a string, got ${describe(this.value)}`);
    return this.value;
  }

  optionalString(): string | undefined {
    return this.absent ? undefined : this.string();
  }

  number(fallback?: number, rule: NumberRule = {}): number {
    if (this.absent) return this.orDefault(fallback);
    const n = this.value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw this.error('expected a number');
    if (rule.integer && !Number.isInteger(n)) throw this.error(`expected a whole number, got ${n}`);
    if (rule.min !== undefined && n < rule.min) throw this.error(`must be at least ${rule.min}, got ${n}`);
    if (rule.max !== undefined && n > rule.max) throw this.error(`must be at most ${rule.max}, got ${n}`);
    // A count or size past 2^53 − 1 (`1e99`) is whole as a double but not exact: refused, as the
    // Collector refuses a value its Go integer type cannot hold.
    if (rule.integer && !Number.isSafeInteger(n))
      throw this.error(`expected a whole number of at most ${Number.MAX_SAFE_INTEGER}, got ${n}`);
    return n;
  }

  bool(fallback?: boolean): boolean {
    if (this.absent) return this.orDefault(fallback);
    if (typeof this.value !== 'boolean')
      throw this.error(`expected true or false, got ${describe(this.value)}`);
    return this.value;
  }

  /** A Go duration (`200ms`, `5s`, `1m30s`) in milliseconds. */
  duration(fallbackMs?: number, rule: { min?: number } = {}): number {
    if (this.absent) return this.orDefault(fallbackMs);
    const ms =
      typeof this.value === 'string' ? parseGoDuration(this.value) : this.value === 0 ? 0 : undefined;
    if (ms === undefined)
      throw this.error(`expected a duration such as 200ms, 5s or 1m30s, got ${describe(this.value)}`);
    if (rule.min !== undefined && ms < rule.min) throw this.error(`must be at least ${rule.min}ms`);
    return ms;
  }

  oneOf<T extends string>(allowed: readonly T[], fallback?: T): T {
    const text = this.string(fallback);
    if (!(allowed as readonly string[]).includes(text))
      throw this.error(`"${text}" is not one of ${allowed.join(', ')}`);
    return text as T;
  }

  stringList(fallback: string[] = []): string[] {
    if (this.absent) return fallback;
    return this.items().map((item) => item.string());
  }

  /**
   * A regular expression, compiled now so a bad one fails at start, not on the first span.
   * Collector configs are written for Go's RE2: `(?P<name>` groups and leading inline flags
   * such as `(?i)` are translated to their JavaScript forms.
   */
  regex(flags = ''): RegExp {
    let source = this.string().replaceAll('(?P<', '(?<');
    const inline = /^\(\?([imsU]+)\)/.exec(source);
    if (inline) {
      source = source.slice(inline[0].length);
      flags += inline[1].replace('U', '');
    }
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw this.error(`invalid regular expression: ${(error as Error).message}`);
    }
  }

  /**
   * Refuses keys that no parser read, here and below. Called once on the root after every
   * component's config has been parsed.
   */
  checkUnknownKeys(): void {
    if (this.readAsMap && !this.absent) {
      for (const key of Object.keys(this.value as object)) {
        if (!this.known.has(key)) {
          const known = [...this.known].sort();
          throw this.error(
            `unknown key "${key}"; ${known.length > 0 ? `known keys: ${known.join(', ')}` : 'this takes no keys'}`,
          );
        }
      }
    }
    for (const child of this.children) child.checkUnknownKeys();
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
