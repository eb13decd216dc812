/**
 * The text builder behind html-text.ts: html-to-text's (10.0.1) InlineTextBuilder, BlockTextBuilder and
 * tableToString, ported for the one set of options the reply-text cut uses (no word wrap, data tables with
 * columns 3 apart and cells wrapped at 60). html-text.ts walks the DOM and drives it.
 */
const WHITESPACE = /[ \t\r\n\f\u200b]/;
const ALL_WHITESPACE = /^[ \t\r\n\f\u200b]*$/;
const WORD = /[^ \t\r\n\f\u200b]+/g;

/** The words of a line being built, and the lines done (html-to-text's InlineTextBuilder). */
class Inline {
  lines: string[][] = [];
  words: string[] = [];
  available: number;
  stashedSpace = false;
  wordBreakOpportunity = false;

  constructor(readonly maxLineLength: number) {
    this.available = maxLineLength;
  }

  pushWord(word: string): void {
    if (this.available <= 0) this.newLine();
    const lineStart = this.words.length === 0;
    const cost = word.length + (lineStart ? 0 : 1);
    if (cost <= this.available) {
      this.words.push(word);
      this.available -= cost;
      return;
    }
    // Too long for the line: it starts the next one (long words are never split, as configured).
    if (!lineStart) this.newLine();
    this.words.push(word);
    this.available -= word.length;
  }

  popWord(): string | undefined {
    const last = this.words.pop();
    if (last !== undefined) this.available += last.length + (this.words.length === 0 ? 0 : 1);
    return last;
  }

  concatWord(word: string): void {
    if (this.wordBreakOpportunity && word.length > this.available) {
      this.pushWord(word);
      this.wordBreakOpportunity = false;
    } else {
      const last = this.popWord();
      this.pushWord(last ? last + word : word);
    }
  }

  newLine(n = 1): void {
    this.lines.push(this.words);
    for (let i = 1; i < n; i++) this.lines.push([]);
    this.words = [];
    this.available = this.maxLineLength;
  }

  isEmpty(): boolean {
    return this.lines.length === 0 && this.words.length === 0;
  }

  clear(): void {
    this.lines.length = 0;
    this.words.length = 0;
    this.available = this.maxLineLength;
  }

  toString(): string {
    return [...this.lines, this.words].map((words) => words.join(' ')).join('\n');
  }
}

/** A block, list, list item or table cell being built: text done, and the inline text after it. */
class TextItem {
  inline: Inline;
  rawText = '';
  stashedLineBreaks = 0;
  isPre: boolean;

  constructor(
    readonly parent: Item | undefined,
    public leadingLineBreaks: number,
    maxLineLength: number,
    readonly list?: { interRowLineBreaks: number; maxPrefixLength: number },
    readonly prefix = '',
  ) {
    this.inline = new Inline(maxLineLength);
    this.isPre = parent?.isPre ?? false;
  }

  text(): string {
    return this.inline.isEmpty() ? this.rawText : this.rawText + this.inline.toString();
  }

  /** A finished block's text, after what is here, separated by the line breaks both sides ask for. */
  addText(text: string, leadingLineBreaks: number, trailingLineBreaks: number): void {
    const parentText = this.text();
    const lineBreaks = Math.max(this.stashedLineBreaks, leadingLineBreaks);
    this.inline.clear();
    if (parentText) {
      this.rawText = parentText + '\n'.repeat(lineBreaks) + text;
    } else {
      this.rawText = text;
      this.leadingLineBreaks = lineBreaks;
    }
    this.stashedLineBreaks = trailingLineBreaks;
  }
}

interface Cell {
  colspan: number;
  rowspan: number;
  text: string;
  lines?: string[];
  rendered?: boolean;
}

/** A table or a row being built: only cells hold text. */
class TableItem {
  rows: Cell[][] = [];
  cells: Cell[] = [];
  isPre: boolean;
  constructor(readonly parent: Item) {
    this.isPre = parent.isPre;
  }
}

type Item = TextItem | TableItem;

const NO_WRAP = Number.MAX_VALUE;
const MAX_COLUMN_WIDTH = 60;
const COLUMN_SPACING = 3;

/** html-to-text's BlockTextBuilder, for the formats below. */
export class Builder {
  item: Item = new TextItem(undefined, 1, NO_WRAP);
  private upperCase = 0;

  upper<T>(run: () => T): T {
    this.upperCase++;
    try {
      return run();
    } finally {
      this.upperCase--;
    }
  }

  private text(): TextItem | undefined {
    return this.item instanceof TextItem ? this.item : undefined;
  }

  lineBreak(): void {
    const item = this.text();
    if (!item) return;
    if (item.isPre) item.rawText += '\n';
    else item.inline.newLine();
  }

  wordBreakOpportunity(): void {
    const item = this.text();
    if (item) item.inline.wordBreakOpportunity = true;
  }

  addInline(str: string): void {
    const item = this.text();
    if (!item) return;
    if (item.isPre) {
      item.rawText += str;
      return;
    }
    if (str.length === 0 || (item.stashedLineBreaks && ALL_WHITESPACE.test(str))) return;
    if (item.stashedLineBreaks) item.inline.newLine(item.stashedLineBreaks);
    this.shrinkWrapAdd(str, item.inline);
    item.stashedLineBreaks = 0;
  }

  /** Words joined by single spaces; a word glued to the previous one when no space separates them. */
  private shrinkWrapAdd(text: string, inline: Inline): void {
    const transform = this.upperCase ? (s: string) => s.toUpperCase() : (s: string) => s;
    const stashed = inline.stashedSpace;
    const words = text.match(WORD) ?? [];
    words.forEach((word, i) => {
      if (i > 0 || stashed || WHITESPACE.test(text[0])) inline.pushWord(transform(word));
      else inline.concatWord(transform(word));
    });
    inline.stashedSpace = (stashed && words.length === 0) || WHITESPACE.test(text[text.length - 1]);
  }

  openBlock(leadingLineBreaks: number, isPre = false, reservedLineLength = 0): void {
    const parent = this.item as TextItem;
    this.item = new TextItem(parent, leadingLineBreaks, Math.max(20, parent.inline.maxLineLength - reservedLineLength));
    if (isPre) this.item.isPre = true;
  }

  closeBlock(trailingLineBreaks: number, transform?: (text: string) => string): void {
    const block = this.item as TextItem;
    this.item = block.parent!;
    const text = transform ? transform(block.text()) : block.text();
    (this.item as TextItem).addText(
      text,
      block.leadingLineBreaks,
      Math.max(block.stashedLineBreaks, trailingLineBreaks),
    );
  }

  openList(leadingLineBreaks: number, maxPrefixLength: number): void {
    const parent = this.item as TextItem;
    this.item = new TextItem(parent, leadingLineBreaks, parent.inline.maxLineLength, {
      interRowLineBreaks: 1,
      maxPrefixLength,
    });
  }

  openListItem(prefix: string): void {
    const list = this.item as TextItem;
    const width = Math.max(prefix.length, list.list!.maxPrefixLength);
    const maxLineLength = Math.max(20, list.inline.maxLineLength - width);
    this.item = new TextItem(list, list.list!.interRowLineBreaks, maxLineLength, undefined, prefix);
  }

  closeListItem(): void {
    const listItem = this.item as TextItem;
    const list = listItem.parent as TextItem;
    this.item = list;
    const width = Math.max(listItem.prefix.length, list.list!.maxPrefixLength);
    const text = listItem.prefix.padEnd(width) + listItem.text().replace(/\n/g, `\n${' '.repeat(width)}`);
    list.addText(text, listItem.leadingLineBreaks, Math.max(listItem.stashedLineBreaks, list.list!.interRowLineBreaks));
  }

  closeList(trailingLineBreaks: number): void {
    const list = this.item as TextItem;
    this.item = list.parent!;
    const text = list.text();
    if (text) (this.item as TextItem).addText(text, list.leadingLineBreaks, trailingLineBreaks);
  }

  openTable(): void {
    this.item = new TableItem(this.item);
  }

  openRow(): void {
    this.item = new TableItem(this.item);
  }

  openCell(): void {
    this.item = new TextItem(this.item, 1, MAX_COLUMN_WIDTH);
  }

  closeCell(colspan: number, rowspan: number): void {
    const cell = this.item as TextItem;
    this.item = cell.parent!;
    (this.item as TableItem).cells.push({ colspan, rowspan, text: trimChar(cell.text(), '\n') });
  }

  closeRow(): void {
    const row = this.item as TableItem;
    this.item = row.parent;
    (this.item as TableItem).rows.push(row.cells);
  }

  closeTable(): void {
    const table = this.item as TableItem;
    this.item = table.parent;
    const output = tableToString(table.rows);
    if (output) (this.item as TextItem).addText(output, 2, 2);
  }

  toString(): string {
    let root = this.item;
    while (root.parent) root = root.parent;
    return (root as TextItem).text();
  }
}

export function trimChar(str: string, char: string): string {
  let start = 0;
  let end = str.length;
  while (start < end && str[start] === char) start++;
  while (end > start && str[end - 1] === char) end--;
  return str.substring(start, end);
}

/** An offset, the ones before it made first (each one more than the previous). */
function offsetAt(offsets: number[], index: number): number {
  for (let i = 0; i <= index; i++) if (offsets[i] === undefined) offsets[i] = i === 0 ? 0 : offsets[i - 1] + 1;
  return offsets[index];
}

function updateOffset(offsets: number[], base: number, span: number, value: number): void {
  offsets[base + span] = Math.max(offsetAt(offsets, base + span), offsetAt(offsets, base) + value);
}

/** Cells laid out in columns, spans honoured (html-to-text's tableToString, read without transposing). */
function tableToString(rows: Cell[][]): string {
  const layout: (Cell | undefined)[][] = [];
  let colNumber = 0;
  const rowOffsets = [0];
  for (let j = 0; j < rows.length; j++) {
    layout[j] ??= [];
    const layoutRow = layout[j];
    let x = 0;
    for (const cell of rows[j]) {
      while (layoutRow[x]) x++;
      for (let r = 0; r < cell.rowspan; r++) {
        layout[j + r] ??= [];
        for (let c = 0; c < cell.colspan; c++) layout[j + r][x + c] = cell;
      }
      x += cell.colspan;
      cell.lines = cell.text.split('\n');
      updateOffset(rowOffsets, j, cell.rowspan, cell.lines.length);
    }
    colNumber = Math.max(colNumber, layoutRow.length);
  }
  const outputLines: string[] = [];
  const colOffsets = [0];
  for (let x = 0; x < colNumber; x++) {
    let y = 0;
    while (y < rows.length) {
      const cell = layout[y]?.[x];
      if (!cell) {
        y++;
        continue;
      }
      if (!cell.rendered) {
        let width = 0;
        cell.lines!.forEach((line, j) => {
          const at = rowOffsets[y] + j;
          outputLines[at] = (outputLines[at] ?? '').padEnd(colOffsets[x] ?? 0) + line;
          width = Math.max(width, line.length);
        });
        updateOffset(colOffsets, x, cell.colspan, width + COLUMN_SPACING);
        cell.rendered = true;
      }
      y += cell.rowspan;
    }
  }
  // Holes (rows without a line) join as empty lines, as html-to-text's do.
  return outputLines.join('\n');
}
