/** The undo toast: Undo takes the action back and nothing is committed; otherwise the toast commits as it goes. */
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ToastInput, ToastProvider, useToast } from './toast.tsx';

function Trigger({ toast }: { toast: ToastInput }) {
  const show = useToast();
  return (
    <button type="button" onClick={() => show(toast)}>
      Delete
    </button>
  );
}

afterEach(cleanup);

describe('Toast', () => {
  it('undoes instead of committing when Undo is pressed', async () => {
    const undo = vi.fn();
    const onExpire = vi.fn();
    render(
      <ToastProvider>
        <Trigger toast={{ message: 'Template “Greeting” deleted.', undo, onExpire, durationMs: 60_000 }} />
      </ToastProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region.textContent).toContain('Template “Greeting” deleted.');
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(onExpire).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });

  it('commits when the toast goes by itself', async () => {
    vi.useFakeTimers();
    try {
      const undo = vi.fn();
      const onExpire = vi.fn();
      render(
        <ToastProvider>
          <Trigger toast={{ message: 'Deleted.', undo, onExpire, durationMs: 5000 }} />
        </ToastProvider>,
      );
      act(() => screen.getByRole('button', { name: 'Delete' }).click());
      expect(onExpire).not.toHaveBeenCalled();
      act(() => vi.advanceTimersByTime(5000));
      expect(onExpire).toHaveBeenCalledTimes(1);
      expect(undo).not.toHaveBeenCalled();
      expect(screen.queryByText('Deleted.')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
