/**
 * The rich editor: when `/` opens the canned responses, the toolbar on a real TipTap editor (bold, italic,
 * lists, link; pressed state; one tab stop), and a pasted image that becomes an inline `cid:` image. (Typing
 * into ProseMirror is not reproduced by happy-dom, which reports its selection moves as not implemented; so
 * the selection is set through the editor's commands, and the editor's typing wants Chromium.)
 */

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditorToolbar, linkHref } from './editor-toolbar.tsx';
import { type InlineImages, imageFiles, RichEditor, slashQuery } from './rich-editor.tsx';

afterEach(cleanup);

describe('RichEditor', () => {
  it('finds the search after a slash typed at a word start only', () => {
    expect(slashQuery('Hi /ref')).toBe('ref');
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('and/or')).toBeNull();
    expect(slashQuery('Hi /ref ')).toBeNull();
  });

  it('turns a pasted image into an inline image named cid:, shown from its file, and says why one was refused', async () => {
    const onChange = vi.fn();
    const png = new File([new Uint8Array([137, 80, 78, 71])], 'shot.png', { type: 'image/png' });
    let refuse = false;
    const images: InlineImages = {
      add: vi.fn(async (files: File[]) =>
        refuse
          ? { error: 'The files would come to 8.0 MB: a message carries at most 7.0 MB of files together.' }
          : { images: files.map((f) => ({ src: 'cid:abc@inline', alt: f.name })) },
      ),
      preview: (src) => (src === 'cid:abc@inline' ? 'data:image/png;base64,iVBORw==' : undefined),
    };
    render(<RichEditor label="Message" initialText="See:" templates={[]} images={images} onChange={onChange} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    const paste = () => {
      const data = new DataTransfer();
      data.items.add(png);
      const event = new Event('paste', { bubbles: true, cancelable: true }) as ClipboardEvent;
      Object.defineProperty(event, 'clipboardData', { value: data });
      return act(async () => {
        box.dispatchEvent(event);
      });
    };
    await paste();
    expect(images.add).toHaveBeenCalledWith([png]);
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    const [html] = onChange.mock.calls.at(-1) as [string, string];
    expect(html).toContain('<img src="cid:abc@inline" alt="shot.png">');
    expect(html).not.toContain('data:');
    // The editor shows the file itself (the Inbox's CSP allows data: images), the mail names its cid.
    expect(box.querySelector('img[alt="shot.png"]')?.getAttribute('src')).toBe('data:image/png;base64,iVBORw==');

    refuse = true;
    await paste();
    expect((await screen.findByRole('alert')).textContent).toContain('at most 7.0 MB');
    expect(box.querySelectorAll('img[alt="shot.png"]')).toHaveLength(1);
  });

  it('takes only the image files of what was pasted or dropped', () => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'a.png', { type: 'image/png' }));
    data.items.add(new File(['x'], 'b.pdf', { type: 'application/pdf' }));
    expect(imageFiles(data).map((f) => f.name)).toEqual(['a.png']);
    expect(imageFiles(null)).toEqual([]);
  });
});

/** The toolbar inside a form, as in the composer, with its link field's open state. */
function LinkHarness({ editor, onSubmit }: { editor: Editor; onSubmit: (e: { preventDefault(): void }) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <form onSubmit={onSubmit}>
      <EditorToolbar editor={editor} linkOpen={open} onLinkOpen={setOpen} onImages={vi.fn()} />
    </form>
  );
}

describe('EditorToolbar', () => {
  function setup(content = '<p>Hello world</p>') {
    const element = document.createElement('div');
    document.body.append(element);
    const editor = new Editor({
      element,
      extensions: [StarterKit.configure({ link: { openOnClick: false } })],
      content,
    });
    const onImages = vi.fn();
    render(<EditorToolbar editor={editor} linkOpen={false} onLinkOpen={vi.fn()} onImages={onImages} />);
    return { editor, onImages };
  }

  it('names each button with its shortcut, marks the selection and says which marks are on', async () => {
    const { editor } = setup();
    const bar = screen.getByRole('toolbar', { name: 'Formatting' });
    const bold = screen.getByRole('button', { name: 'Bold' });
    expect(bold.getAttribute('title')).toMatch(/^Bold \((Ctrl|⌘)\+B\)$/);
    expect(bold.getAttribute('aria-keyshortcuts')).toBe('Control+B');
    expect(screen.getByRole('button', { name: 'Italic' }).getAttribute('title')).toMatch(/\+I\)$/);
    expect(screen.getByRole('button', { name: 'Link' }).getAttribute('title')).toMatch(/\+K\)$/);
    expect(bold.getAttribute('aria-pressed')).toBe('false');

    act(() => {
      editor.commands.setTextSelection({ from: 1, to: 6 });
    });
    await userEvent.click(bold);
    expect(editor.getHTML()).toBe('<p><strong>Hello</strong> world</p>');
    await waitFor(() => expect(bold.getAttribute('aria-pressed')).toBe('true'));
    await userEvent.click(screen.getByRole('button', { name: 'Italic' }));
    expect(editor.getHTML()).toBe('<p><strong><em>Hello</em></strong> world</p>');

    await userEvent.click(screen.getByRole('button', { name: 'Bulleted list' }));
    expect(editor.getHTML()).toMatch(/^<ul><li><p>/);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Bulleted list' }).getAttribute('aria-pressed')).toBe('true'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Numbered list' }));
    expect(editor.getHTML()).toMatch(/^<ol><li><p>/);

    // One tab stop: the arrow keys move along the toolbar.
    const tabbable = [...bar.querySelectorAll('button')].filter((b) => b.tabIndex === 0);
    expect(tabbable).toHaveLength(1);
    bold.focus();
    fireEvent.keyDown(bold, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Italic' }));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Inline image' }));
    editor.destroy();
  });

  it('links the selection from the link field (Enter applies, never submits), and only http(s) or mail', async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const editor = new Editor({
      element,
      extensions: [StarterKit.configure({ link: { openOnClick: false } })],
      content: '<p>Our terms</p>',
    });
    const submit = vi.fn((e: { preventDefault(): void }) => e.preventDefault());
    render(<LinkHarness editor={editor} onSubmit={submit} />);
    act(() => {
      editor.commands.setTextSelection({ from: 5, to: 10 });
    });
    await userEvent.click(screen.getByRole('button', { name: 'Link' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Link address' }), 'acme.example/terms{Enter}');
    expect(submit).not.toHaveBeenCalled();
    expect(editor.getHTML()).toContain(
      '<a target="_blank" rel="noopener noreferrer nofollow" href="https://acme.example/terms">terms</a>',
    );
    expect(screen.queryByRole('textbox', { name: 'Link address' })).toBeNull();

    expect(linkHref('ana@acme.example')).toBe('mailto:ana@acme.example');
    expect(linkHref('javascript:alert(1)')).toBeNull();
    expect(linkHref('HTTPS://x.example')).toBe('HTTPS://x.example');
    editor.destroy();
  });
});
