import { useLayoutEffect, useSyncExternalStore } from 'react';
import {
  applyTheme,
  resolveTheme,
  subscribeToSystemTheme,
  systemPrefersLight,
  type Theme,
  type ThemeChoice,
} from './theme.ts';

/** Applies the chosen theme to the page before it paints, following the system's on 'auto'. */
export function useTheme(choice: ThemeChoice, kiosk: boolean): Theme {
  const systemLight = useSyncExternalStore(subscribeToSystemTheme, systemPrefersLight);
  const theme = resolveTheme(choice, kiosk, systemLight);
  useLayoutEffect(() => applyTheme(theme), [theme]);
  return theme;
}
