import { useMemo, useRef, useState } from 'react';
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
          {blocked === 1 ? '1 remote image was' : `${blocked} remote images were`} blocked.{' '}
          <button type="button" onClick={() => setRemote(true)}>
            Show remote images
          </button>
        </p>
      )}
      <iframe
        ref={frame}
        title={title}
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
        srcDoc={doc}
        style={{ height }}
        onLoad={() => {
          const h = frame.current?.contentDocument?.body?.scrollHeight;
          if (h) setHeight(Math.min(h + 4, 2000));
        }}
      />
    </div>
  );
}
