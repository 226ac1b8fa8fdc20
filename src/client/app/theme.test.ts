import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseThemeChoice, resolveTheme, type ThemeChoice } from './theme.ts';

describe('resolveTheme', () => {
  it('takes the choice from the URL over everything else', () => {
    expect(resolveTheme('light', true, false)).toBe('light');
    expect(resolveTheme('dark', false, true)).toBe('dark');
  });

  it('follows the system on auto, except a kiosk wall, which is dark', () => {
    expect(resolveTheme('auto', false, true)).toBe('light');
    expect(resolveTheme('auto', false, false)).toBe('dark');
    expect(resolveTheme('auto', true, true)).toBe('dark');
  });

  it('is dark unless the URL asks for light or auto', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('auto')).toBe('auto');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('LIGHT')).toBe('dark');
    expect(parseThemeChoice(null)).toBe('dark');
  });
});

describe('the script in index.html that sets the theme before the first paint', () => {
  const html = readFileSync(new URL('../../../index.html', import.meta.url), 'utf8');
  const code = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

  function run(search: string, systemLight: boolean): string | null {
    const attributes = new Map<string, string>();
    const matchMedia = (query: string) => ({
      matches: query === '(prefers-color-scheme: light)' && systemLight,
    });
    const document = {
      documentElement: { setAttribute: (k: string, v: string) => attributes.set(k, v) },
    };
    // The script uses window.matchMedia and bare matchMedia: give it both.
    const fn = new Function('location', 'window', 'matchMedia', 'document', code);
    fn({ search }, { matchMedia }, matchMedia, document);
    return attributes.get('data-theme') ?? null;
  }

  it('agrees with resolveTheme for every choice, kiosk or not, and either system setting', () => {
    expect(code).toContain('data-theme');
    const choices: (ThemeChoice | 'bogus' | null)[] = ['auto', 'dark', 'light', 'bogus', null];
    for (const choice of choices) {
      for (const kiosk of ['', '1', 'true', 'ON', '0']) {
        for (const systemLight of [false, true]) {
          const params = new URLSearchParams();
          if (choice !== null) params.set('theme', choice);
          if (kiosk) params.set('kiosk', kiosk);
          const isKiosk = ['1', 'true', 'yes', 'on'].includes(kiosk.toLowerCase());
          const expected = resolveTheme(
            parseThemeChoice(params.get('theme')),
            isKiosk,
            systemLight,
          );
          expect(run(`?${params}`, systemLight), `?${params} light=${systemLight}`).toBe(expected);
        }
      }
    }
  });
});
