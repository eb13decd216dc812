/** Who wrote a message, as the end user sees it: a name and its initials, never an id. */

/** "Ana Lopez" → "AL"; "Acme Billing" → "AB"; one word → its first letter. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0]?.toUpperCase() ?? '').join('');
}

export function Author({ name }: { name: string }) {
  return (
    <span class="who">
      <span class="initials" aria-hidden="true">
        {initialsOf(name)}
      </span>
      {name}
    </span>
  );
}
