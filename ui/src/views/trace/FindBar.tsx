import type { RefObject } from 'react';

/** Find in trace: highlights matching rows; Enter / Shift+Enter (or the arrows) jump between them. */
export function FindBar(props: {
  value: string;
  count: number;
  current: number;
  inputRef: RefObject<HTMLInputElement | null>;
  onChange: (value: string) => void;
  onStep: (step: 1 | -1) => void;
}) {
  const { value, count, current, inputRef, onChange, onStep } = props;
  return (
    <div className="find-bar">
      <input
        ref={inputRef}
        type="search"
        aria-label="Find in trace"
        placeholder="Find in trace  ( / )"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onStep(e.shiftKey ? -1 : 1);
          }
        }}
      />
      <span className="muted find-count" data-testid="find-count">
        {value.trim() === '' ? '' : count === 0 ? 'no matches' : `${current + 1} of ${count}`}
      </span>
      <button className="ghost" onClick={() => onStep(-1)} disabled={count === 0} aria-label="Previous match">
        ↑
      </button>
      <button className="ghost" onClick={() => onStep(1)} disabled={count === 0} aria-label="Next match">
        ↓
      </button>
    </div>
  );
}
