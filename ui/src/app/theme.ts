import { useState } from 'react';

export type Theme = 'light' | 'dark';

/** The theme is a preference, not view state: it lives in localStorage, not in the URL. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(() =>
    document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light',
  );
  const toggle = (): void => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem('tracehouse.theme', next);
    } catch {
      // Private windows may refuse storage; the theme still switches for this page.
    }
    setTheme(next);
  };
  return [theme, toggle];
}
