import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useId, useRef, useState } from 'react';
import type { Schemas } from '../api/client.ts';
import { t } from '../i18n/index.ts';

type Template = Schemas['Template'];

/** Plain text to editor HTML (a restored draft, a template): escaped, one paragraph per line. */
function paragraphs(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split('\n')
    .map((line) => `<p>${esc(line)}</p>`)
    .join('');
}

/** What follows a `/` just typed at the cursor (at the start of a line or after a space), or null. */
export function slashQuery(before: string): string | null {
  const m = /(?:^|\s)\/([^\s/]*)$/.exec(before);
  return m ? (m[1] ?? '') : null;
}

/**
 * The email answer's rich text (TipTap's StarterKit: bold, italic, lists, links, Markdown shortcuts such as
 * `**bold**` or `- ` for a list). Loaded on demand when the composer opens. `/` opens the canned responses:
 * a searchable list of templates, one inserted (its variables kept) and edited before sending.
 */
export function RichEditor({
  label,
  initialText,
  initialHtml,
  templates,
  renderTemplate,
  onChange,
}: {
  /** The template's text with this thread's variables filled in (the preview route); the raw body on failure. */
  renderTemplate?: (template: Template) => Promise<string>;
  label: string;
  initialText: string;
  /** A restored draft's HTML, which wins over its text. */
  initialHtml?: string;
  templates: Template[];
  onChange: (html: string, text: string) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  // The list's keys (arrows, Enter, Escape) go to it before the editor: ProseMirror asks this first.
  const listKeys = useRef<(e: KeyboardEvent) => boolean>(() => false);
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, protocols: ['mailto'] } })],
    content: initialHtml || paragraphs(initialText),
    immediatelyRender: true,
    editorProps: {
      handleKeyDown: (_view, e) => listKeys.current(e),
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'rich-text' },
    },
    onUpdate: ({ editor: e }) => {
      onChange(e.getHTML(), e.getText({ blockSeparator: '\n' }));
      const { from } = e.state.selection;
      const before = e.state.doc.textBetween(Math.max(0, from - 40), from, '\n', ' ');
      setQuery(slashQuery(before));
      setActive(0);
    },
  });
  const matches =
    query === null ? [] : templates.filter((x) => x.name.toLowerCase().includes(query.toLowerCase())).slice(0, 8);
  const insert = async (template: Template) => {
    if (!editor || query === null) return;
    const { from } = editor.state.selection;
    const range = { from: from - query.length - 1, to: from };
    setQuery(null);
    const text = renderTemplate ? await renderTemplate(template).catch(() => template.body) : template.body;
    editor.chain().focus().deleteRange(range).insertContent(paragraphs(text)).run();
  };
  const open = query !== null && matches.length > 0;
  listKeys.current = (e) => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const n = matches.length;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      const m = matches[active];
      if (m) void insert(m);
    } else if (e.key === 'Escape') setQuery(null);
    else return false;
    e.preventDefault();
    return true;
  };
  return (
    <div className="rich-editor">
      <EditorContent editor={editor} />
      {open && (
        <div id={`${id}-canned`} role="listbox" aria-label={t('composer.canned')} className="canned popover-list">
          {matches.map((m, i) => (
            // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the editor; the arrows move the active option
            // biome-ignore lint/a11y/useKeyWithClickEvents: the editor handles the keys (arrows, Enter, Escape) for its options
            <div
              key={m.templateId}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`popover-item${i === active ? ' active' : ''}`}
              onPointerDown={(e) => e.preventDefault()}
              onClick={() => void insert(m)}
            >
              {m.name}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
