/** The seed's avatar "(I)": the assigned agent's initials on their colour (given by the API). */
export function Avatar({ name, initials, colour }: { name: string; initials: string; colour?: string }) {
  return (
    <span
      className="avatar"
      role="img"
      aria-label={name}
      title={name}
      style={colour ? { backgroundColor: colour } : undefined}
    >
      {initials}
    </span>
  );
}
