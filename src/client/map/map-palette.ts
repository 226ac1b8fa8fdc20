// The offline basemap follows the page's theme: its colours are CSS custom properties on :root
// (--map-water, --map-land, …), read when the map is made and again whenever the theme changes.
import { DARK_PALETTE, type MapPalette } from './map-style.ts';

const VARIABLES: Record<keyof MapPalette, string> = {
  water: '--map-water',
  land: '--map-land',
  border: '--map-border',
  landHover: '--map-land-hover',
  landSelected: '--map-land-selected',
  siteStroke: '--bg',
  clusterStroke: '--text',
};

export function readMapPalette(root: Element = document.documentElement): MapPalette {
  const style = getComputedStyle(root);
  const palette = { ...DARK_PALETTE };
  for (const key of Object.keys(VARIABLES) as (keyof MapPalette)[]) {
    const value = style.getPropertyValue(VARIABLES[key]).trim();
    if (value) palette[key] = value;
  }
  return palette;
}

/** Calls `onChange` when the theme may have changed: a `data-theme` switch or the OS's scheme. */
export function watchTheme(onChange: () => void): () => void {
  const root = document.documentElement;
  const observer = new MutationObserver(onChange);
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  const media = window.matchMedia?.('(prefers-color-scheme: light)');
  media?.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', onChange);
  };
}
