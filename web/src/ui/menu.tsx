import { ChevronDown, type LucideIcon } from 'lucide-react';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';

export interface MenuOption<T extends string> {
  value: T;
  label: string;
  icon?: ReactNode;
}

/** Closes a popup on a click outside `root`. */
function useOutside(root: React.RefObject<HTMLElement | null>, open: boolean, close: () => void) {
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) close();
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [root, open, close]);
}

/**
 * A menu button with one choice (WAI-ARIA menu button, menuitemradio): nothing is saved until the agent
 * picks an item, so arrowing through the choices never writes (a <select> fires change on each arrow key).
 */
export function Menu<T extends string>({
  label,
  value,
  options,
  onSelect,
  icon: Icon,
  renderValue,
  disabled,
}: {
  /** The menu's name ("Status"); the button reads "Status: Open". */
  label: string;
  value: T;
  options: MenuOption<T>[];
  onSelect: (value: T) => void;
  icon?: LucideIcon;
  renderValue?: (option: MenuOption<T> | undefined) => ReactNode;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  const current = options.find((o) => o.value === value);
  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  useOutside(root, open, () => setOpen(false));
  useEffect(() => {
    if (open) items.current[active]?.focus();
  }, [open, active]);
  const openAt = (i: number) => {
    setActive(i);
    setOpen(true);
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const n = options.length;
    if (e.key === 'ArrowDown') setActive((i) => (i + 1) % n);
    else if (e.key === 'ArrowUp') setActive((i) => (i - 1 + n) % n);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(n - 1);
    else if (e.key === 'Escape') close();
    else if (e.key === 'Tab') return setOpen(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-secondary btn-md menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`${label}: ${current?.label ?? value}`}
        disabled={disabled}
        onClick={() => (open ? close() : openAt(Math.max(0, options.indexOf(current!))))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openAt(e.key === 'ArrowDown' ? 0 : options.length - 1);
          }
        }}
      >
        {Icon && <Icon className="icon" aria-hidden="true" />}
        <span className="menu-value">{renderValue ? renderValue(current) : (current?.label ?? value)}</span>
        <ChevronDown className="icon" aria-hidden="true" />
      </button>
      {open && (
        <div id={id} role="menu" aria-label={label} className="popover" onKeyDown={onMenuKey}>
          {options.map((o, i) => (
            <button
              key={o.value}
              ref={(el) => {
                items.current[i] = el;
              }}
              type="button"
              role="menuitemradio"
              aria-checked={o.value === value}
              tabIndex={i === active ? 0 : -1}
              className="popover-item"
              onClick={() => {
                close();
                if (o.value !== value) onSelect(o.value);
              }}
            >
              {o.icon}
              {o.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * A searchable picker (WAI-ARIA combobox with a listbox): the agent types to narrow a long list (agents,
 * customers), moves with the arrows and picks with Enter; nothing is saved before the pick.
 */
export function Picker<T extends string>({
  label,
  value,
  options,
  onSelect,
  placeholder,
  renderValue,
}: {
  label: string;
  value: T;
  options: MenuOption<T>[];
  onSelect: (value: T) => void;
  placeholder?: string;
  renderValue?: (option: MenuOption<T> | undefined) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const current = options.find((o) => o.value === value);
  const q = query.trim().toLowerCase();
  const shown = q ? options.filter((o) => o.label.toLowerCase().includes(q)) : options;
  useOutside(root, open, () => setOpen(false));
  const close = () => {
    setOpen(false);
    setQuery('');
    button.current?.focus();
  };
  const pick = (o: MenuOption<T> | undefined) => {
    if (!o) return;
    close();
    if (o.value !== value) onSelect(o.value);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((i) => Math.min(shown.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter') pick(shown[active]);
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div className="menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn btn-secondary btn-md menu-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`${label}: ${current?.label ?? value}`}
        onClick={() => {
          setActive(0);
          setOpen((o) => !o);
        }}
      >
        <span className="menu-value">{renderValue ? renderValue(current) : (current?.label ?? value)}</span>
        <ChevronDown className="icon" aria-hidden="true" />
      </button>
      {open && (
        <div className="popover">
          <input
            role="combobox"
            aria-label={label}
            aria-expanded="true"
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={shown[active] ? `${id}-${active}` : undefined}
            className="popover-search"
            placeholder={placeholder}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKey}
            // biome-ignore lint/a11y/noAutofocus: the agent just opened the picker to search it
            autoFocus
          />
          <div id={`${id}-list`} role="listbox" aria-label={label} className="popover-list">
            {shown.map((o, i) => (
              // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the combobox; the active option is aria-activedescendant
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keys (arrows, Enter) for its options
              <div
                key={o.value}
                id={`${id}-${i}`}
                role="option"
                aria-selected={o.value === value}
                className={`popover-item${i === active ? ' active' : ''}`}
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => pick(o)}
              >
                {o.icon}
                {o.label}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
