import { useCallback, useEffect, useRef, useState } from 'react';
import { SHORTCUTS, useShortcut } from './shortcuts.ts';

/** `?`: the keyboard help sheet, a modal dialog (focus trapped by the browser, Escape closes it). */
export function HelpSheet() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useShortcut(
    '?',
    useCallback(() => setOpen(true), []),
  );
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} aria-labelledby="help-title" onClose={() => setOpen(false)} className="help">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([key, action]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setOpen(false)}>
        Close
      </button>
    </dialog>
  );
}
