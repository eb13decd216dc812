/**
 * `format=flowed` text (RFC 3676) unwrapped with quote depth respected, which postal-mime 4.0.0 does
 * not do: it joins a soft-broken quoted line (`> Hi `) with the reply below it (`Hello`) into one
 * line, and the reply text is lost with the quote. mailparser (libmime) gets it right; this follows
 * libmime's rules. mime.ts installs it on postal-mime's part class (see {@link installFlowedDecoder}).
 */

/**
 * Unwraps flowed text: a line that ends with a space continues on the next line of the same quote
 * depth (section 4.5); the space after the quote marks and a leading space are stuffing (4.4);
 * `-- ` stays a signature separator; with `delsp=yes` the space of a soft break is removed (4.2).
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const out: string[] = [];
  let parts: string[] = [];
  let prefix = '';
  let depth = -1;
  const flush = () => {
    if (depth >= 0) out.push(prefix + parts.join(''));
  };
  for (const line of text.split(/\r?\n/)) {
    let lineDepth = 0;
    while (line.charCodeAt(lineDepth) === 0x3e /* > */) lineDepth++;
    const prefixLength = lineDepth && line.charCodeAt(lineDepth) === 0x20 ? lineDepth + 1 : lineDepth;
    let content = line.slice(prefixLength);
    if (!lineDepth && content.startsWith(' ')) content = content.slice(1);
    // Only the last piece is looked at: joining the paragraph on every line would be quadratic.
    const last = parts[parts.length - 1] ?? '';
    const soft = depth === lineDepth && last.endsWith(' ') && !(parts.length === 1 && last === '-- ');
    if (soft) {
      if (delSp) parts[parts.length - 1] = last.slice(0, -1);
      parts.push(content);
    } else {
      flush();
      parts = [content];
      prefix = line.slice(0, prefixLength);
      depth = lineDepth;
    }
  }
  flush();
  return out.join('\n');
}

/**
 * Replaces postal-mime's `decodeFlowedText` on its (internal) MIME part class with
 * {@link decodeFlowed}. The class is reached through a parser's root part, as it is not exported.
 * Returns false (and changes nothing) when the internals are not the expected ones: the corpus
 * tests then show the library's own behaviour.
 */
export function installFlowedDecoder(rootPart: unknown): boolean {
  const proto = rootPart ? Object.getPrototypeOf(rootPart) : null;
  if (!proto || typeof proto.decodeFlowedText !== 'function') return false;
  proto.decodeFlowedText = (str: string, delSp: boolean) => decodeFlowed(str, delSp);
  return true;
}
