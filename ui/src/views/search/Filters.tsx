import { fetchServices } from '../../api/native-api';
import { tagValues } from '../../api/tempo-api';
import { useFetch } from '../../app/use-fetch';
import type { SearchFilters } from './build-traceql';
import { isValidDuration } from './build-traceql';

interface Props {
  filters: SearchFilters;
  range: { start: number; end: number };
  onChange: (filters: SearchFilters) => void;
}

/** The form above the editor: each field writes its part of the TraceQL query. */
export function Filters({ filters, range, onChange }: Props) {
  const rangeKey = `${Math.floor(range.start / 60)}-${Math.floor(range.end / 60)}`;
  const services = useFetch(`services:${rangeKey}`, (signal) =>
    fetchServices(range, signal).then((answer) => answer.services.map((s) => s.service)),
  );
  const names = useFetch(`names:${rangeKey}`, (signal) =>
    tagValues('name', range, signal).then((values) => values.map((v) => v.value)),
  );
  const set = (change: Partial<SearchFilters>) => onChange({ ...filters, ...change });
  const serviceOptions = services.data ?? [];
  return (
    <div className="filters">
      <label>
        Service
        <select
          aria-label="Service"
          value={filters.service}
          onChange={(e) => set({ service: e.target.value })}
        >
          <option value="">any</option>
          {filters.service && !serviceOptions.includes(filters.service) && (
            <option value={filters.service}>{filters.service}</option>
          )}
          {serviceOptions.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Span name
        <input
          aria-label="Span name"
          list="span-names"
          value={filters.spanName}
          placeholder="any"
          onChange={(e) => set({ spanName: e.target.value })}
        />
        <datalist id="span-names">
          {(names.data ?? []).slice(0, 200).map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <label>
        Status
        <select
          aria-label="Status"
          value={filters.status}
          onChange={(e) => set({ status: e.target.value as SearchFilters['status'] })}
        >
          <option value="">any</option>
          <option value="error">error</option>
          <option value="ok">ok</option>
          <option value="unset">unset</option>
        </select>
      </label>
      <label className={isValidDuration(filters.minDuration) ? undefined : 'invalid'}>
        Min duration
        <input
          aria-label="Min duration"
          placeholder="e.g. 100ms"
          size={8}
          value={filters.minDuration}
          onChange={(e) => set({ minDuration: e.target.value })}
        />
      </label>
      <label className={isValidDuration(filters.maxDuration) ? undefined : 'invalid'}>
        Max duration
        <input
          aria-label="Max duration"
          placeholder="e.g. 2s"
          size={8}
          value={filters.maxDuration}
          onChange={(e) => set({ maxDuration: e.target.value })}
        />
      </label>
      <label className="grow">
        Attribute
        <input
          aria-label="Attribute"
          placeholder="key=value, e.g. http.route=/reservations"
          value={filters.attribute}
          onChange={(e) => set({ attribute: e.target.value })}
        />
      </label>
    </div>
  );
}
