import { type Editor, EditorContent, mergeAttributes, Node, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useId, useRef, useState } from 'react';
import type { Schemas } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { EditorToolbar } from './editor-toolbar.tsx';

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

/** Pasted or dropped images, kept by the composer until the send (they travel as inline attachments). */
export interface InlineImages {
  /** Takes the files; gives each one's `cid:` source and name, or why they were refused (too large…). */
  add(files: File[]): Promise<{ images: Array<{ src: string; alt: string }> } | { error: string }>;
  /** What the editor shows for a `cid:` source (a `data:` URL of the file); undefined when it is unknown. */
  preview(src: string): string | undefined;
}

/** The image files among what was pasted or dropped. */
export function imageFiles(data: DataTransfer | null | undefined): File[] {
  return [...(data?.files ?? [])].filter((f) => f.type.startsWith('image/'));
}

/**
 * An inline image: the document (and so the draft and the mail's HTML) names it `cid:<contentId>`; the
 * editor shows the file itself, which the composer holds until the send. A node of its own rather than
 * @tiptap/extension-image, whose resizable view (ResizableNodeView) added 5 KB gzip to the composer's chunk
 * for what mail clients ignore anyway.
 */
const InlineImage = Node.create<{ preview: (src: string) => string | undefined }>({
  name: 'image',
  inline: true,
  group: 'inline',
  atom: true,
  draggable: true,
  addOptions: () => ({ preview: () => undefined }),
  addAttributes: () => ({ src: { default: null }, alt: { default: null } }),
  parseHTML: () => [{ tag: 'img[src^="cid:"]' }],
  renderHTML: ({ HTMLAttributes }) => ['img', mergeAttributes(HTMLAttributes)],
  addNodeView() {
    return ({ node }) => {
      const img = document.createElement('img');
      const show = (attrs: Record<string, unknown>) => {
        const src = String(attrs.src ?? '');
        img.setAttribute('src', this.options.preview(src) ?? src);
        img.setAttribute('alt', String(attrs.alt ?? ''));
      };
      show(node.attrs);
      return {
        dom: img,
        update: (next) => {
          if (next.type.name !== this.name) return false;
          show(next.attrs);
          return true;
        },
      };
    };
  },
});

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
  images,
  onChange,
}: {
  /** Where pasted, dropped or picked images go; without it, images are not taken. */
  images?: InlineImages;
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
  const [linkOpen, setLinkOpen] = useState(false);
  const [refused, setRefused] = useState('');
  const editorRef = useRef<Editor | null>(null);
  const imagesRef = useRef(images);
  imagesRef.current = images;
  /** Inserts image files at the cursor (or at `at`), or says why they were refused. */
  const insertImages = async (e: Editor, files: File[], at?: number) => {
    const target = imagesRef.current;
    if (!target || !files.length) return;
    const out = await target.add(files);
    if ('error' in out) {
      setRefused(out.error);
      return;
    }
    setRefused('');
    const content = out.images.map((img) => ({ type: 'image', attrs: img }));
    const chain = e.chain().focus();
    (at === undefined ? chain.insertContent(content) : chain.insertContentAt(at, content)).run();
  };
  // The list's keys (arrows, Enter, Escape) go to it before the editor: ProseMirror asks this first.
  const listKeys = useRef<(e: KeyboardEvent) => boolean>(() => false);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ link: { openOnClick: false, protocols: ['mailto'] } }),
      InlineImage.configure({ preview: (src: string) => imagesRef.current?.preview(src) }),
    ],
    content: initialHtml || paragraphs(initialText),
    immediatelyRender: true,
    editorProps: {
      handleKeyDown: (_view, e) => {
        if (listKeys.current(e)) return true;
        if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
          e.preventDefault();
          setLinkOpen(true);
          return true;
        }
        return false;
      },
      // A pasted or dropped image becomes an inline image (a `cid:` part of the mail), never a data: URL.
      handlePaste: (_view, e) => {
        const files = imageFiles(e.clipboardData);
        if (!files.length || !imagesRef.current || !editorRef.current) return false;
        e.preventDefault();
        void insertImages(editorRef.current, files);
        return true;
      },
      handleDrop: (view, e) => {
        const files = imageFiles(e.dataTransfer);
        if (!files.length || !imagesRef.current || !editorRef.current) return false;
        e.preventDefault();
        const at = view.posAtCoords({ left: e.clientX, top: e.clientY })?.pos;
        void insertImages(editorRef.current, files, at);
        return true;
      },
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
  editorRef.current = editor;
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
      {editor && (
        <EditorToolbar
          editor={editor}
          linkOpen={linkOpen}
          onLinkOpen={setLinkOpen}
          onImages={(files) => void insertImages(editor, files)}
        />
      )}
      <EditorContent editor={editor} />
      {refused && (
        <p role="alert" className="field-error">
          {refused}
        </p>
      )}
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
