// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useNextTask } from './use-next-task.ts';

afterEach(cleanup);

/** What each commit showed: the first part's value, then the second's (taken a task later). */
function Pair({ value, commits }: { value: number; commits: string[] }) {
  const later = useNextTask(value);
  commits.push(`${value}/${later}`);
  return (
    <p>
      {value}/{later}
    </p>
  );
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('useNextTask', () => {
  it('hands on a new value in a later task than the commit that brought it', async () => {
    const commits: string[] = [];
    const view = render(<Pair value={1} commits={commits} />);
    expect(view.container.textContent).toBe('1/1'); // the first render has it at once

    act(() => view.rerender(<Pair value={2} commits={commits} />));
    // Everything React did within that task: the first part has 2, the second still 1.
    expect(view.container.textContent).toBe('2/1');

    await act(nextTask);
    expect(view.container.textContent).toBe('2/2');
    expect(commits).toEqual(['1/1', '2/1', '2/2']);
  });

  it('takes only the newest of values that changed before it caught up', async () => {
    const commits: string[] = [];
    const view = render(<Pair value={1} commits={commits} />);
    act(() => view.rerender(<Pair value={2} commits={commits} />));
    act(() => view.rerender(<Pair value={3} commits={commits} />));
    await act(nextTask);
    expect(view.container.textContent).toBe('3/3');
    expect(commits).not.toContain('2/2');
  });
});
