import { useState } from 'react';
import type { TimeRangeSpec } from '../time/time-range';
import { describeRange, fromLocalInput, PRESETS, resolveRange, toLocalInput } from '../time/time-range';

/** Relative presets in a list, and an "absolute" pair of date-time fields. */
export function TimeRangePicker({
  value,
  onChange,
}: {
  value: TimeRangeSpec;
  onChange: (spec: TimeRangeSpec) => void;
}) {
  const [absolute, setAbsolute] = useState(value.kind === 'absolute');
  const resolved = resolveRange(value);
  const [from, setFrom] = useState(toLocalInput(resolved.start));
  const [to, setTo] = useState(toLocalInput(resolved.end));
  const apply = (): void => {
    const start = fromLocalInput(from);
    const end = fromLocalInput(to);
    if (start !== undefined && end !== undefined && start <= end) onChange({ kind: 'absolute', start, end });
  };
  return (
    <div className="time-range" title={describeRange(value)}>
      <select
        aria-label="Time range"
        value={absolute ? 'absolute' : value.kind === 'relative' ? value.range : 'absolute'}
        onChange={(event) => {
          if (event.target.value === 'absolute') {
            setAbsolute(true);
            return;
          }
          setAbsolute(false);
          onChange({ kind: 'relative', range: event.target.value });
        }}
      >
        {PRESETS.map((preset) => (
          <option key={preset} value={preset}>
            Last {preset}
          </option>
        ))}
        <option value="absolute">Absolute…</option>
      </select>
      {absolute && (
        <span className="absolute-range">
          <input
            type="datetime-local"
            step={1}
            aria-label="From"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span>→</span>
          <input
            type="datetime-local"
            step={1}
            aria-label="To"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
          <button onClick={apply}>Apply</button>
        </span>
      )}
    </div>
  );
}
