/** A small line chart of a series (nulls are gaps); the last value is its title. */
export function Sparkline({
  values,
  width = 120,
  height = 26,
  label,
}: {
  values: (number | null)[];
  width?: number;
  height?: number;
  label: string;
}) {
  const max = Math.max(1e-12, ...values.map((v) => v ?? 0));
  const step = width / Math.max(1, values.length - 1);
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      {segments.map((points, i) =>
        points.includes(' ') ? (
          <polyline key={i} points={points} />
        ) : (
          <circle key={i} r={1.5} cx={points.split(',')[0]} cy={points.split(',')[1]} />
        ),
      )}
    </svg>
  );
}
