import { useCallback, useState } from 'react';
import { t } from '../i18n/index.ts';
import { Button, Dialog } from '../ui/index.ts';
import { SHORTCUTS, useShortcut } from './shortcuts.ts';

/** `?`: the keyboard help sheet, a modal dialog (focus trapped by the browser, Escape closes it). */
export function HelpSheet() {
  const [open, setOpen] = useState(false);
  useShortcut(
    '?',
    useCallback(() => setOpen(true), []),
  );
  return (
    <Dialog open={open} onClose={() => setOpen(false)} title={t('help.title')} className="help">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('help.key')}</th>
            <th scope="col">{t('help.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([key, action]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{t(action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <Button onClick={() => setOpen(false)}>{t('common.close')}</Button>
      </div>
    </Dialog>
  );
}
