import { memo } from 'react';
import { serviceColor } from '../../trace/service-colors';
import { formatDuration } from '../../trace/ticks';
import type { TraceSpan } from '../../trace/trace-model';
import { STATUS_ERROR } from '../../trace/trace-model';
import type { Viewport, WaterfallRow as Row } from '../../trace/waterfall-layout';

export const ROW_HEIGHT = 24;
const INDENT = 14;

interface Props {
  row: Row;
  index: number;
  span: TraceSpan;
  viewport: Viewport;
  selected: boolean;
  match: 'none' | 'match' | 'current';
  missingParent: boolean;
  skew: number;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
}

const pct = (fraction: number): string => `${(fraction * 100).toFixed(3)}%`;

/** One span: name column (indent, toggle, service, name, warnings) and its bar on the time axis. */
export const WaterfallRow = memo(function WaterfallRow(props: Props) {
  const { row, index, span, viewport, selected, match, missingParent, skew, onSelect, onToggle } = props;
  const error = span.statusCode === STATUS_ERROR;
  const bar = row.bar; // worked out on each read (waterfall-layout.ts): read once
  const left = Math.max(0, bar.left);
  const right = Math.min(1, bar.left + bar.width);
  const visible = right >= 0 && left <= 1;
  // The duration goes right of the bar, or left of it when the bar reaches the right edge, or
  // inside it when the bar fills the whole width.
  const label = right <= 0.8 ? 'right' : left > 0.12 ? 'left' : 'inside';
  const scale = 1 / Math.max(viewport.end - viewport.start, 1e-9);
  const classes = ['wf-row'];
  if (selected) classes.push('selected');
  if (match !== 'none') classes.push(match === 'current' ? 'match current' : 'match');
  if (error) classes.push('error');
  return (
    <div
      className={classes.join(' ')}
      style={{ top: index * ROW_HEIGHT }}
      role="row"
      aria-selected={selected}
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      data-span-id={span.spanId}
      data-testid="waterfall-row"
      onClick={() => onSelect(row.span)}
    >
      <div className="wf-name" style={{ paddingLeft: 6 + row.depth * INDENT }} role="gridcell">
        {row.hasChildren ? (
          <button
            className="wf-toggle"
            aria-label={row.collapsed ? `Expand ${span.name}` : `Collapse ${span.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(row.span);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-toggle-space" />
        )}
        <span className="swatch" style={{ background: serviceColor(span.serviceIndex) }} />
        <span className="wf-service">{span.service}</span>
        <span className="wf-op">{span.name}</span>
        {error && (
          <span className="badge error" title={span.statusMessage || 'status: error'}>
            !
          </span>
        )}
        {row.hidden > 0 && <span className="badge muted">+{row.hidden}</span>}
        {missingParent && (
          <span className="badge warn" title={`Parent span ${span.parentSpanId} is not in this trace`}>
            missing parent
          </span>
        )}
        {skew > 0 && (
          <span className="badge warn" title="Starts before its parent: the two hosts' clocks disagree">
            skew −{formatDuration(skew)}
          </span>
        )}
      </div>
      <div className="wf-timeline" role="gridcell">
        {visible && (
          <div
            className="wf-bar"
            style={{
              left: pct(left),
              width: `max(1px, ${pct(right - left)})`,
              background: serviceColor(span.serviceIndex),
            }}
          />
        )}
        {row.critical.map((segment, i) => {
          const l = Math.max(0, segment.left);
          const r = Math.min(1, segment.left + segment.width);
          return r > l ? (
            <div key={i} className="wf-critical" style={{ left: pct(l), width: pct(r - l) }} />
          ) : null;
        })}
        {span.events.map((event, i) => {
          const at = (event.time - viewport.start) * scale;
          return at >= 0 && at <= 1 ? (
            <div
              key={i}
              className="wf-event"
              style={{ left: pct(at) }}
              title={`${event.name} at +${formatDuration(event.time - span.start)}`}
            />
          ) : null;
        })}
        <span
          className={label === 'inside' ? 'wf-duration inside' : 'wf-duration'}
          style={
            label === 'right'
              ? { left: pct(Math.max(0, right)) }
              : { right: pct(1 - (label === 'left' ? left : right)) }
          }
        >
          {formatDuration(span.duration)}
        </span>
      </div>
    </div>
  );
});
