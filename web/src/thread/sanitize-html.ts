import DOMPurify from 'dompurify';

/** A remote resource: anything fetched over the network (tracking pixels, remote images). */
const REMOTE = /^\s*(https?:)?\/\//i;

/**
 * Mail HTML, made safe to show: DOMPurify strips scripts, handlers, forms and frames; remote images are
 * blocked (their URL moved aside) unless the agent asked for them; links open outside the app.
 * Returns the document and how many remote images were blocked.
 */
export function sanitizeMailHtml(html: string, allowRemoteImages: boolean): { doc: string; blocked: number } {
  let blocked = 0;
  const purify = DOMPurify();
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    if (!allowRemoteImages) {
      for (const attr of ['src', 'srcset', 'background', 'poster']) {
        const v = node.getAttribute(attr);
        if (v && (REMOTE.test(v) || attr === 'srcset')) {
          node.removeAttribute(attr);
          if (node.tagName === 'IMG') blocked++;
        }
      }
      const style = node.getAttribute('style');
      if (style && /url\s*\(/i.test(style)) node.setAttribute('style', style.replace(/url\s*\([^)]*\)/gi, 'none'));
    }
  });
  const body = purify.sanitize(html, {
    WHOLE_DOCUMENT: false,
    FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'base', 'meta', 'link'],
    FORBID_ATTR: ['action', 'formaction'],
  });
  // The frame is a document of its own, out of reach of the app's tokens: mail is drawn light, in system
  // colours. Its own policy: no script at all, images only from data: until remote ones are asked for.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data: ${allowRemoteImages ? 'https: http:' : ''}; font-src data:`;
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>:root{color-scheme:light}body{font:0.875rem/1.45 system-ui,sans-serif;margin:0.5rem;color:CanvasText;background:Canvas;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>${body}</body></html>`;
  return { doc, blocked };
}
