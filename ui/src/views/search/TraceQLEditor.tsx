import type { KeyboardEvent, ReactNode } from 'react';
import { useMemo, useRef, useState } from 'react';
import { tagNames, tagValues } from '../../api/tempo-api';
import { useFetch } from '../../app/use-fetch';
import { quote } from './build-traceql';
import type { Completion } from './traceql-tokens';
import { completionAt, INTRINSICS, tokenize } from './traceql-tokens';

export interface EditorError {
  message: string;
  line?: number;
  column?: number;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  error?: EditorError;
  range: { start: number; end: number };
}

interface Suggestion {
  label: string;
  insert: string;
}

const MAX_SUGGESTIONS = 40;

/**
 * A textarea over a highlighted copy of its text (the classic "transparent textarea" editor: the
 * browser keeps caret, selection, IME and undo). Suggestions come from Tempo's tags APIs; when
 * those are absent the editor still works, with intrinsics only.
 */
export function TraceQLEditor({ value, onChange, onSubmit, error, range }: Props) {
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLPreElement>(null);
  // Minute resolution: typing does not refetch names because "now" moved.
  const rangeKey = `${Math.floor(range.start / 60)}-${Math.floor(range.end / 60)}`;
  const tags = useFetch(`tags:${rangeKey}`, (signal) => tagNames(range, signal));
  const completion: Completion | undefined = open ? completionAt(value, cursor) : undefined;
  const field = completion?.kind === 'value' ? completion.field : undefined;
  const values = useFetch(field === undefined ? null : `values:${field}:${rangeKey}`, (signal) =>
    tagValues(field ?? '', range, signal),
  );
  const suggestions = useMemo(
    () => suggest(completion, tags.data ?? [], values.data ?? []),
    [completion, tags.data, values.data],
  );

  const accept = (s: Suggestion): void => {
    if (!completion) return;
    const next = value.slice(0, completion.from) + s.insert + value.slice(cursor);
    const at = completion.from + s.insert.length;
    onChange(next);
    setOpen(false);
    requestAnimationFrame(() => {
      textarea.current?.setSelectionRange(at, at);
      setCursor(at);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    const showing = open && suggestions.length > 0;
    if (showing && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + suggestions.length) % suggestions.length);
    } else if (showing && (event.key === 'Tab' || event.key === 'Enter')) {
      event.preventDefault();
      accept(suggestions[Math.min(active, suggestions.length - 1)]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    } else if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      setOpen(true);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      setOpen(false);
      onSubmit();
    }
  };

  const errorOffset = error?.line !== undefined ? offsetOf(value, error.line, error.column ?? 1) : undefined;
  return (
    <div className={`traceql-editor${error ? ' has-error' : ''}`}>
      <div className="editor-box">
        <pre ref={backdrop} className="editor-backdrop" aria-hidden>
          {highlight(value, errorOffset)}
          {'\n'}
        </pre>
        <textarea
          ref={textarea}
          aria-label="TraceQL query"
          data-testid="traceql-input"
          spellCheck={false}
          rows={Math.min(4, value.split('\n').length)}
          value={value}
          onChange={(event) => {
            onChange(event.target.value);
            setCursor(event.target.selectionStart);
            setOpen(true);
            setActive(0);
          }}
          onSelect={(event) => setCursor(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => window.setTimeout(() => setOpen(false), 150)}
          onScroll={(event) => {
            if (backdrop.current) backdrop.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
        {open && suggestions.length > 0 && (
          <ul className="suggestions" role="listbox" aria-label="Suggestions">
            {suggestions.map((s, i) => (
              <li
                key={s.label}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  accept(s);
                }}
              >
                {s.label}
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <div className="editor-error" role="alert" data-testid="traceql-error">
          {error.line !== undefined && (
            <span className="position">
              line {error.line}, column {error.column}:{' '}
            </span>
          )}
          {error.message}
        </div>
      )}
    </div>
  );
}

function suggest(
  completion: Completion | undefined,
  scopes: { scope: string; tags: string[] }[],
  values: { type: string; value: string }[],
): Suggestion[] {
  if (!completion) return [];
  const prefix = completion.prefix.toLowerCase();
  if (completion.kind === 'value') {
    return values
      .filter((v) => v.value.toLowerCase().includes(prefix))
      .slice(0, MAX_SUGGESTIONS)
      .map((v) => ({ label: v.value, insert: v.type === 'string' ? quote(v.value) : v.value }));
  }
  const names = new Set<string>(INTRINSICS);
  for (const { scope, tags } of scopes)
    for (const tag of tags)
      names.add(scope === 'intrinsic' ? tag : scope === 'none' ? `.${tag}` : `${scope}.${tag}`);
  return [...names]
    .filter((name) => name.toLowerCase().includes(prefix))
    .sort((a, b) => Number(!a.toLowerCase().startsWith(prefix)) - Number(!b.toLowerCase().startsWith(prefix)))
    .slice(0, MAX_SUGGESTIONS)
    .map((name) => ({ label: name, insert: name }));
}

/** 1-based line and column (as ParseError reports them) → offset into the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) break;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

function highlight(text: string, errorAt: number | undefined): ReactNode[] {
  const out: ReactNode[] = [];
  for (const token of tokenize(text)) {
    const end = token.start + token.text.length;
    if (errorAt !== undefined && errorAt >= token.start && errorAt < end) {
      const cut = errorAt - token.start;
      out.push(
        <span key={token.start} className={`tok-${token.type}`}>
          {token.text.slice(0, cut)}
          <span className="tok-error">{token.text.slice(cut)}</span>
        </span>,
      );
    } else
      out.push(
        <span key={token.start} className={`tok-${token.type}`}>
          {token.text}
        </span>,
      );
  }
  if (errorAt !== undefined && errorAt >= text.length)
    out.push(
      <span key="end" className="tok-error">
        {' '}
      </span>,
    );
  return out;
}
