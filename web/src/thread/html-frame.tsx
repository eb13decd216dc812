import { useMemo, useRef, useState } from 'react';
import { plural, t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import { sanitizeMailHtml } from './sanitize-html.ts';

/**
 * HTML mail in a sandboxed frame: no scripts (no `allow-scripts`), its own CSP, remote images blocked until
 * the agent asks. `allow-same-origin` only lets the app read the frame's height; with no script inside, the
 * frame itself can do nothing with it.
 */
export function HtmlFrame({ html, title }: { html: string; title: string }) {
  const [remote, setRemote] = useState(false);
  const { doc, blocked } = useMemo(() => sanitizeMailHtml(html, remote), [html, remote]);
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(200);
  return (
    <div className="html-mail">
      {blocked > 0 && !remote && (
        <p className="notice">
          {plural(blocked, 'html.blocked.one', 'html.blocked.many')}{' '}
          <Button size="sm" onClick={() => setRemote(true)}>
            {t('html.showRemote')}
          </Button>
        </p>
      )}
      <iframe
        ref={frame}
        title={title}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        srcDoc={doc}
        style={{ height }}
        onLoad={() => {
          const h = frame.current?.contentDocument?.documentElement.offsetHeight;
          if (h) setHeight(Math.min(h + 4, 2000));
        }}
      />
    </div>
  );
}
