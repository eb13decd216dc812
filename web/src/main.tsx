// First: the cascade layers are ordered by their first appearance (tokens, base, components).
import './ui/theme/index.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { loadConfig } from './app/config.ts';
import { resumeSession } from './auth/session.ts';
import { initTheme, ToastProvider } from './ui/index.ts';
import './ui/ui.css';

initTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 30_000, retry: (n, e) => n < 2 && !('status' in e && Number(e.status) < 500) },
  },
});

loadConfig().then(() => {
  resumeSession();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
});
