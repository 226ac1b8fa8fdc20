// The palettes in base.css, checked from the file itself so they cannot silently regress:
// WCAG AA contrast for every text/background pair in both themes, 3:1 for lines, bars and the
// focus ring, status colours that stay apart under colour-vision deficiency, and no colour
// literal elsewhere in the client that would escape the theme.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Theme } from './theme.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Palette = Record<string, string>;

/** `--name: #rrggbb` declarations of the top-level `:root` and `:root[data-theme='light']` rules. */
function palettes(css: string): Record<Theme, Palette> {
  const out: Record<Theme, Palette> = { dark: {}, light: {} };
  const rule = /^(:root(?:\[data-theme='light'\])?)\s*\{([^}]*)\}/gm;
  for (const [, selector, body] of css.matchAll(rule)) {
    const theme: Theme = selector!.includes('light') ? 'light' : 'dark';
    for (const [, name, value] of body!.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]+)\s*;/g)) {
      out[theme][name!] = value!.toLowerCase();
    }
  }
  return out;
}

const PALETTES = palettes(read('src/client/app/base.css'));
const THEMES: Theme[] = ['dark', 'light'];

type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
/** CSS `color-mix(in srgb, a p%, b)`. */
const mix = (a: string, p: number, b: string) =>
  toHex(rgb(a).map((v, i) => v * p + rgb(b)[i]! * (1 - p)) as Rgb);
const linear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(linear) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2 contrast ratio. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
const CVD: Record<string, number[][]> = {
  typical: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
/** CIELAB (D65) of a colour as seen with the given vision. */
function lab(hex: string, matrix: number[][]): Rgb {
  const c = rgb(hex).map(linear);
  const [r, g, b] = matrix.map((row) =>
    Math.min(1, Math.max(0, row[0]! * c[0]! + row[1]! * c[1]! + row[2]! * c[2]!)),
  ) as Rgb;
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

const TEXT = ['--text', '--text-muted', '--ok', '--warn', '--bad'];
const SURFACES = ['--bg', '--surface', '--surface-2'];
const STATUS = ['--ok', '--warn', '--bad'];

describe.each(THEMES)('the %s palette', (theme) => {
  const p = PALETTES[theme];
  const c = (name: string) => {
    const value = p[name];
    if (!value) throw new Error(`${theme} palette has no ${name}`);
    return value;
  };

  it('defines every colour the other theme does, as #rrggbb', () => {
    const other = PALETTES[theme === 'dark' ? 'light' : 'dark'];
    expect(Object.keys(p).sort()).toEqual(Object.keys(other).sort());
    expect(Object.keys(p).length).toBeGreaterThanOrEqual(15);
    for (const value of Object.values(p)) expect(value).toMatch(/^#[0-9a-f]{6}$/);
  });

  it.each(TEXT.flatMap((fg) => SURFACES.map((bg) => [fg, bg])))(
    'text in %s on %s has at least 4.5:1',
    (fg, bg) => {
      expect(contrast(c(fg!), c(bg!))).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('keeps 4.5:1 for text on the tinted backgrounds of banners and stale marks', () => {
    const pairs: [string, string, string][] = [
      // .banner: color-mix(in srgb, var(--tone) 14%, var(--bg)), text and tone on it.
      ...['--warn', '--bad'].flatMap((tone): [string, string, string][] => [
        [`banner ${tone}: text`, c('--text'), mix(c(tone), 0.14, c('--bg'))],
        [`banner ${tone}: tone`, c(tone), mix(c(tone), 0.14, c('--bg'))],
      ]),
      // .world-map__stale: color-mix(in srgb, var(--warn) 20%, var(--bg)).
      ['map stale pill', c('--warn'), mix(c('--warn'), 0.2, c('--bg'))],
      // .kpi[data-stale]: stripes of --warn at 7% over --surface, muted figures and a warn note.
      ['stale tile figure', c('--text-muted'), mix(c('--warn'), 0.07, c('--surface'))],
      ['stale tile note', c('--warn'), mix(c('--warn'), 0.07, c('--surface'))],
    ];
    for (const [what, fg, bg] of pairs) {
      expect(contrast(fg, bg), `${what} (${fg} on ${bg})`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws lines, bars and the focus ring at 3:1 or more against what they sit on', () => {
    const pairs: [string, string][] = [
      ...SURFACES.map((bg): [string, string] => ['--focus', bg]),
      // Chart series on the chart's surface; bars on their track.
      ...['--ok', '--series-out', '--text-muted', '--warn', '--bad'].map((fg): [string, string] => [
        fg,
        '--surface',
      ]),
      ['--ok', '--surface-2'],
    ];
    for (const [fg, bg] of pairs) {
      expect(contrast(c(fg), c(bg)), `${fg} on ${bg}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps the status colours apart for people with colour-vision deficiencies', () => {
    for (const [vision, matrix] of Object.entries(CVD)) {
      for (const [i, a] of STATUS.entries()) {
        for (const b of STATUS.slice(i + 1)) {
          const d = deltaE(lab(c(a), matrix), lab(c(b), matrix));
          // ΔE*ab 12: clearly different side by side; shapes and words carry the rest.
          expect(d, `${a} and ${b} with ${vision}`).toBeGreaterThanOrEqual(12);
        }
      }
    }
  });
});

describe('colours outside the palette', () => {
  it('index.html paints the first frame with the palettes’ background and text', () => {
    const html = read('index.html');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const first = (selector: RegExp) => {
      const body = selector.exec(style)?.[1] ?? '';
      return {
        bg: /background:\s*(#[0-9a-f]{6})/i.exec(body)?.[1],
        text: /color:\s*(#[0-9a-f]{6})/i.exec(body)?.[1],
      };
    };
    for (const theme of THEMES) {
      const selector =
        theme === 'dark' ? /html\s*\{([^}]*)\}/ : /html\[data-theme='light'\]\s*\{([^}]*)\}/;
      expect(first(selector)).toEqual({
        bg: PALETTES[theme]['--bg'],
        text: PALETTES[theme]['--text'],
      });
    }
  });

  it('are not written anywhere else in the client (the map themes itself with --map-*)', () => {
    const literal = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/i;
    const offenders: string[] = [];
    for (const dir of ['app', 'charts', 'kpis', 'live', 'scopes', 'format', 'history']) {
      for (const file of readdirSync(join(ROOT, 'src/client', dir))) {
        if (file.includes('.test.') || file === 'base.css') continue;
        const text = read(`src/client/${dir}/${file}`);
        text.split('\n').forEach((line, i) => {
          if (literal.test(line)) offenders.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
