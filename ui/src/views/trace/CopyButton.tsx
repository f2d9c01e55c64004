import { useState } from 'react';

/** Copies text to the clipboard; says "copied" for a moment so the click is confirmed. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    const done = () => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1200);
    };
    // The Clipboard API needs a secure context; on plain http from another host, fall back.
    if (navigator.clipboard && window.isSecureContext)
      void navigator.clipboard.writeText(text).then(done, done);
    else {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
      done();
    }
  };
  return (
    <button className="copy ghost" onClick={copy} title={`Copy ${label}`} aria-label={`Copy ${label}`}>
      {copied ? 'copied' : 'copy'}
    </button>
  );
}
