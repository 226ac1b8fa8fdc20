// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThemeToggle } from './theme-toggle.tsx';
import { useTheme } from './use-theme.ts';
import { useUrlState } from './use-url-state.ts';

// The system's light/dark setting, switchable by the test.
let systemLight = false;
const media = new EventTarget();
beforeEach(() => {
  systemLight = false;
  window.history.replaceState(null, '', '/');
  vi.stubGlobal('matchMedia', (query: string) =>
    Object.assign(media, {
      media: query,
      get matches() {
        return systemLight;
      },
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  delete document.documentElement.dataset.theme;
});

function Page() {
  const { theme, kiosk } = useUrlState();
  useTheme(theme, kiosk);
  return <ThemeToggle theme={theme} />;
}

const pressed = () =>
  screen.getAllByRole('button').find((b) => b.ariaPressed === 'true')?.textContent;

describe('ThemeToggle', () => {
  it('keeps the choice in the URL and puts the theme on <html>', () => {
    systemLight = true;
    render(<Page />);
    // Dark by default, whatever the system prefers.
    expect(pressed()).toBe('Dark');
    expect(document.documentElement.dataset.theme).toBe('dark');

    fireEvent.click(screen.getByRole('button', { name: 'Light' }));
    expect(window.location.search).toBe('?theme=light');
    expect(pressed()).toBe('Light');
    expect(document.documentElement.dataset.theme).toBe('light');

    fireEvent.click(screen.getByRole('button', { name: 'Dark' }));
    expect(window.location.search).toBe('');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('follows the system on auto when its setting changes', () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Auto' }));
    expect(window.location.search).toBe('?theme=auto');
    expect(document.documentElement.dataset.theme).toBe('dark');
    act(() => {
      systemLight = true;
      media.dispatchEvent(new Event('change'));
    });
    expect(document.documentElement.dataset.theme).toBe('light');
    fireEvent.click(screen.getByRole('button', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
