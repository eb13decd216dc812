import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { t } from '../i18n/index.ts';

export interface ToastInput {
  message: string;
  /** An undo: the toast's button; the action runs if the agent presses it before the toast goes. */
  undo?: () => void;
  /** Runs when the toast goes without an undo (a deferred delete is committed here). */
  onExpire?: () => void;
  durationMs?: number;
}

interface Toast extends ToastInput {
  id: number;
}

const ToastContext = createContext<(toast: ToastInput) => void>(() => {});

/** Shows a toast; with `undo`, the toast offers to take the action back. */
export const useToast = () => useContext(ToastContext);

const DEFAULT_MS = 6000;

/** The toasts' region: polite, so that a screen reader announces "Template deleted. Undo" without stealing focus. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((toast: ToastInput) => {
    setToasts((list) => [...list, { ...toast, id: next.current++ }]);
  }, []);
  const remove = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <section className="toasts" aria-label={t('toast.region')} aria-live="polite">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDone={() => remove(toast.id)} />
        ))}
      </section>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDone }: { toast: Toast; onDone: () => void }) {
  const settled = useRef(false);
  const latest = useRef({ toast, onDone });
  latest.current = { toast, onDone };
  const expire = useCallback(() => {
    if (settled.current) return;
    settled.current = true;
    latest.current.toast.onExpire?.();
    latest.current.onDone();
  }, []);
  useEffect(() => {
    const timer = setTimeout(expire, toast.durationMs ?? DEFAULT_MS);
    return () => clearTimeout(timer);
  }, [expire, toast.durationMs]);
  // A page left while a deferred delete waits still commits it.
  useEffect(() => {
    window.addEventListener('pagehide', expire);
    return () => window.removeEventListener('pagehide', expire);
  }, [expire]);
  return (
    <div className="toast">
      <span>{toast.message}</span>
      {toast.undo && (
        <button
          type="button"
          className="btn btn-ghost btn-sm toast-undo"
          onClick={() => {
            if (settled.current) return;
            settled.current = true;
            toast.undo?.();
            onDone();
          }}
        >
          {t('toast.undo')}
        </button>
      )}
      <button type="button" className="btn btn-ghost btn-sm" onClick={expire} aria-label={t('toast.dismiss')}>
        ×
      </button>
    </div>
  );
}
