import { ParamToggle, type ToggleOption } from './param-toggle.tsx';
import type { ThemeChoice } from './theme.ts';

const OPTIONS: readonly ToggleOption<ThemeChoice>[] = [
  { value: 'dark', label: 'Dark', title: 'Light text on a dark background' },
  { value: 'light', label: 'Light', title: 'Dark text on a light background' },
  { value: 'auto', label: 'Auto', title: 'Follow the system’s light or dark setting' },
];

/** Dark (the default), light or the system's colours; kept in the URL (?theme=light). */
export function ThemeToggle({ theme }: { theme: ThemeChoice }) {
  return (
    <ParamToggle
      label="Colour theme"
      param="theme"
      options={OPTIONS}
      value={theme}
      defaultValue="dark"
    />
  );
}
