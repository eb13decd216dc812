/** Small inline SVG icons; each one is labelled where it carries meaning, hidden where it decorates. */
export function AttachmentIcon({ label }: { label?: string }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path
        d="M10.5 3.5 5 9a1.5 1.5 0 0 0 2.1 2.1l5.6-5.6a3 3 0 0 0-4.2-4.2L2.9 6.9a4.5 4.5 0 0 0 6.4 6.4l4.2-4.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
      />
    </svg>
  );
}

export function MessagesIcon({ label }: { label?: string }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path d="M2 3h9v6H6l-3 2.5V9H2zM13 6h1v6h-1v2l-2.5-2H6v-1" fill="none" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  );
}
