// Which palette the page wears. Dark unless the URL says otherwise (?theme=light|auto, like
// ?units), so a wall display's link fixes it; `auto` follows the system's light/dark setting,
// except in kiosk mode, where nobody can pick: a wall is dark.
export type Theme = 'dark' | 'light';
export type ThemeChoice = 'auto' | Theme;

export const THEME_CHOICES: readonly ThemeChoice[] = ['auto', 'dark', 'light'];

export function parseThemeChoice(value: string | null): ThemeChoice {
  return value === 'light' || value === 'auto' ? value : 'dark';
}

/**
 * The theme to show. index.html repeats this rule in a few lines of plain script so the first
 * paint already has the right background; theme.test.ts keeps the two in step.
 */
export function resolveTheme(choice: ThemeChoice, kiosk: boolean, systemLight: boolean): Theme {
  if (choice !== 'auto') return choice;
  return !kiosk && systemLight ? 'light' : 'dark';
}

const LIGHT_QUERY = '(prefers-color-scheme: light)';

function lightQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(LIGHT_QUERY) : null;
}

/** For useSyncExternalStore: the system's light/dark setting and its changes. */
export function subscribeToSystemTheme(listener: () => void): () => void {
  const query = lightQuery();
  query?.addEventListener('change', listener);
  return () => query?.removeEventListener('change', listener);
}

export const systemPrefersLight = (): boolean => lightQuery()?.matches ?? false;

/** Puts the theme on <html> (the palettes in base.css key on it) and on the browser's chrome. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (root.dataset.theme !== theme) root.dataset.theme = theme;
  const bg = getComputedStyle(root).getPropertyValue('--bg').trim();
  const meta = document.querySelector('meta[name="theme-color"]');
  if (bg && meta) meta.setAttribute('content', bg);
}
