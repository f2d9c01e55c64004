/** A rate in the unit that keeps it readable, two significant digits: 340/s, 1.2/s, 3/min, 2/h. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  const [value, unit] =
    perSecond >= 0.1
      ? [perSecond, 's']
      : perSecond * 60 >= 0.1
        ? [perSecond * 60, 'min']
        : [perSecond * 3600, 'h'];
  return `${value >= 100 ? value.toFixed(0) : Number(value.toPrecision(2))}/${unit}`;
}

export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  return `${pct < 1 ? pct.toFixed(2) : pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}
