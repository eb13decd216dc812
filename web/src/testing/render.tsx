/**
 * Component tests' harness: the API answered at the network level by MSW (the app's own fetch calls go out
 * and MSW answers them, as a server would), and a fresh query cache per test.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';
import { ToastProvider } from '../ui/index.ts';

export const server = setupServer();

export function renderWithApi(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ToastProvider>{ui}</ToastProvider>
    </QueryClientProvider>,
  );
}
