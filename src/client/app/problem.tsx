import type { ReactNode } from 'react';

/** A message about something that went wrong, with what the person can do about it. */
export function Problem({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="problem" role="alert">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
