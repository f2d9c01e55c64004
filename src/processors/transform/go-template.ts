/**
 * Go's `Regexp.Expand`, which the Collector's `replace_pattern` replacements follow: `$1`,
 * `${1}`, `$name`, `${name}` (a name is the longest run of letters, digits and `_`), `$$` for a
 * dollar; an unknown group is empty and a `$` that starts no reference stays as it is.
 */
export function expandGoTemplate(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (/^\w+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const run = /^\w+/.exec(template.slice(i + 1));
      if (run) {
        name = run[0];
        end = i + 1 + name.length;
      }
    }
    if (name === undefined) {
      out += '$';
      i++;
      continue;
    }
    out += (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? '';
    i = end;
  }
  return out;
}

/** Every match of the global `pattern` in `text` replaced by the expanded template (Go's `ReplaceAllString`). */
export function replaceAllGo(text: string, pattern: RegExp, template: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += text.slice(last, match.index) + expandGoTemplate(template, match);
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}
