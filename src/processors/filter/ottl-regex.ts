/**
 * A regular expression written for Go's RE2, as OTTL configs are: `(?P<name>` groups become
 * JavaScript's `(?<name>` and leading inline flags such as `(?i)` become flags. Throws
 * SyntaxError for a pattern JavaScript cannot compile.
 */
export function goRegExp(pattern: string, flags = ''): RegExp {
  let source = pattern.replaceAll('(?P<', '(?<');
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags += inline[1].replace('U', '');
  }
  return new RegExp(source, flags);
}
