import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { Bold, ImagePlus, Italic, Link, List, ListOrdered, type LucideIcon } from 'lucide-react';
import { type KeyboardEvent, useRef, useState } from 'react';
import { t } from '../i18n/index.ts';
import { Button, IconButton } from '../ui/index.ts';

/** The modifier key as the agent's keyboard names it. */
const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl';

interface Tool {
  key: 'bold' | 'italic' | 'bulletList' | 'orderedList';
  icon: LucideIcon;
  /** As `aria-keyshortcuts` writes it. */
  shortcut: string;
  /** As the title shows it. */
  keys: string;
  run: (editor: Editor) => void;
}

const TOOLS: Tool[] = [
  {
    key: 'bold',
    icon: Bold,
    shortcut: 'Control+B',
    keys: `${MOD}+B`,
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    key: 'italic',
    icon: Italic,
    shortcut: 'Control+I',
    keys: `${MOD}+I`,
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    key: 'bulletList',
    icon: List,
    shortcut: 'Control+Shift+8',
    keys: `${MOD}+Shift+8`,
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    key: 'orderedList',
    icon: ListOrdered,
    shortcut: 'Control+Shift+7',
    keys: `${MOD}+Shift+7`,
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
];

/** Only web and mail links, as the outbound sanitiser keeps them. */
export function linkHref(input: string): string | null {
  const value = input.trim();
  if (!value) return null;
  if (/^(https?:|mailto:)/i.test(value)) return value;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value)) return `mailto:${value}`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null;
  return `https://${value}`;
}

/**
 * The editor's toolbar (WAI-ARIA toolbar: one tab stop, the arrow keys move between its buttons): bold,
 * italic, the two lists, a link (Ctrl+K too) and an inline image; each button says its shortcut in its
 * title, and the toggles say whether they are on (`aria-pressed`).
 */
export function EditorToolbar({
  editor,
  linkOpen,
  onLinkOpen,
  onImages,
}: {
  editor: Editor;
  /** The link field is open (the toolbar's button or Ctrl+K in the editor). */
  linkOpen: boolean;
  onLinkOpen: (open: boolean) => void;
  /** Images picked with the image button: inserted inline, as pasted ones are. */
  onImages: (files: File[]) => void;
}) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      link: e.isActive('link'),
    }),
  });
  const [focus, setFocus] = useState(0);
  const bar = useRef<HTMLDivElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const count = TOOLS.length + 2;
  const move = (e: KeyboardEvent) => {
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + count, Home: 0, End: count - 1 }[e.key];
    if (at < 0 || to === undefined) return;
    e.preventDefault();
    const next = to % count;
    setFocus(next);
    buttons[next]?.focus();
  };
  const tab = (i: number) => ({ tabIndex: focus === i ? 0 : -1, onFocus: () => setFocus(i) });
  return (
    <div className="editor-tools">
      <div ref={bar} role="toolbar" aria-label={t('composer.toolbar')} className="editor-toolbar" onKeyDown={move}>
        {TOOLS.map((tool, i) => {
          const label = t(`composer.${tool.key}`);
          return (
            <IconButton
              key={tool.key}
              icon={tool.icon}
              label={label}
              title={`${label} (${tool.keys})`}
              aria-keyshortcuts={tool.shortcut}
              aria-pressed={active?.[tool.key] ?? false}
              onClick={() => tool.run(editor)}
              {...tab(i)}
            />
          );
        })}
        <IconButton
          icon={Link}
          label={t('composer.link')}
          title={`${t('composer.link')} (${MOD}+K)`}
          aria-keyshortcuts="Control+K"
          aria-pressed={active?.link ?? false}
          aria-expanded={linkOpen}
          onClick={() => onLinkOpen(!linkOpen)}
          {...tab(TOOLS.length)}
        />
        <IconButton
          icon={ImagePlus}
          label={t('composer.image')}
          title={`${t('composer.image')} (${t('composer.imageHint')})`}
          onClick={() => picker.current?.click()}
          {...tab(TOOLS.length + 1)}
        />
        <input
          ref={picker}
          type="file"
          accept="image/*"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length) onImages(files);
          }}
        />
      </div>
      {linkOpen && <LinkField editor={editor} onClose={() => onLinkOpen(false)} />}
    </div>
  );
}

/** The link's address, for the selection (or the link the cursor is in). Enter applies, Escape closes. */
function LinkField({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const [value, setValue] = useState(() => String(editor.getAttributes('link').href ?? ''));
  const [invalid, setInvalid] = useState(false);
  const apply = () => {
    const href = linkHref(value);
    if (value.trim() && !href) {
      setInvalid(true);
      return;
    }
    const chain = editor.chain().focus().extendMarkRange('link');
    (href ? chain.setLink({ href }) : chain.unsetLink()).run();
    onClose();
  };
  return (
    <div className="link-field">
      <input
        type="url"
        // biome-ignore lint/a11y/noAutofocus: the field opens on the agent's own request (the button or Ctrl+K)
        autoFocus
        aria-label={t('composer.linkAddress')}
        aria-invalid={invalid || undefined}
        placeholder="https://"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setInvalid(false);
        }}
        onKeyDown={(e) => {
          // Inside the composer's form: Enter applies the link, it never sends the message.
          if (e.key === 'Enter') {
            e.preventDefault();
            apply();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
            editor.commands.focus();
          }
        }}
      />
      <Button size="sm" onClick={apply}>
        {t('composer.linkApply')}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          editor.chain().focus().extendMarkRange('link').unsetLink().run();
          onClose();
        }}
      >
        {t('composer.linkRemove')}
      </Button>
    </div>
  );
}
