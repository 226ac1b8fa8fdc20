import type { MouseEvent, ReactNode } from 'react';
import { navigate, withParams } from '../app/url-state.ts';
import { useSearch } from '../app/use-url-state.ts';

interface ScopeLinkProps {
  scope: string;
  className?: string;
  current?: boolean;
  children: ReactNode;
}

/** A real link (opens in a new tab, copies, works by keyboard) that switches scope in place. */
export function ScopeLink({ scope, className, current, children }: ScopeLinkProps) {
  const href = withParams(useSearch(), { scope });
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return (
    <a
      href={href}
      className={className}
      aria-current={current ? 'page' : undefined}
      onClick={onClick}
    >
      {children}
    </a>
  );
}
