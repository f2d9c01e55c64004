/** Cells that align right: figures with an optional sign, unit or suffix, 'n/a', or nothing. */
const NUMERIC = /^$|^n\/a$|^[±+−-]?[\d,.]+ ?(x|%|ms|MB\/s|MiB)?$/;

/**
 * Renders rows as a Markdown table with padded columns, so the output reads well in a terminal
 * and can be pasted into RESULTS.md unchanged. Columns whose cells all look numeric align right.
 */
export function renderTable(
  title: string,
  header: readonly string[],
  rows: readonly string[][],
  notes: readonly string[] = [],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const numeric = header.map((_, c) => rows.every((row) => NUMERIC.test(row[c])));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [
    `### ${title}`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** 1234567.8 → "1,234,568". */
export function formatInteger(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

export function formatFixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)}%` : 'n/a';
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}
