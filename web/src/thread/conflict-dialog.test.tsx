/**
 * The conflict dialog (a stale header edit, 409 `version_conflict`): both sides shown, and each button does
 * its one thing. Rendered with Testing Library in happy-dom, found by role and name as an agent would.
 */
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Thread } from '../api/client.ts';
import { ConflictDialog } from './conflict-dialog.tsx';

const thread = {
  threadId: 't1',
  ref: 'A1B2',
  subject: 'Documents KYC',
  status: 'open',
  assignee: 'agent-ada',
  tags: ['kyc', 'urgent'],
  customerIds: ['c1'],
  version: 7,
} as unknown as Thread;

afterEach(cleanup);

describe('ConflictDialog', () => {
  it('shows the change that was not saved and the thread as it is now', () => {
    render(
      <ConflictDialog thread={thread} patch={{ tags: ['kyc', 'contract'] }} onApply={() => {}} onDiscard={() => {}} />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Conflict:');
    expect(alert.textContent).toContain('it is now at version 7');
    expect(alert.textContent).toContain('tags → kyc, contract');
    expect(alert.textContent).toContain('Now: status open, assignee agent-ada, tags kyc, urgent.');
  });

  it('applies the change again, or discards it, with one button each', async () => {
    const onApply = vi.fn();
    const onDiscard = vi.fn();
    render(<ConflictDialog thread={thread} patch={{ status: 'closed' }} onApply={onApply} onDiscard={onDiscard} />);
    await userEvent.click(screen.getByRole('button', { name: 'Apply my change' }));
    expect(onApply).toHaveBeenCalledTimes(1);
    expect(onDiscard).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Discard my change' }));
    expect(onDiscard).toHaveBeenCalledTimes(1);
  });
});
