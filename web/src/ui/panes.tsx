import { type ReactNode, type PointerEvent as ReactPointerEvent, useCallback, useRef, useState } from 'react';
import { t } from '../i18n/index.ts';
import { readPref, writePref } from './preferences.ts';

const MIN = 288;
const MAX = 640;
const DEFAULT = 416;
const STEP = 16;

const clamp = (w: number) => Math.max(MIN, Math.min(MAX, Math.round(w)));

function savedWidth(): number {
  const w = Number(readPref('listWidth'));
  return Number.isFinite(w) && w > 0 ? clamp(w) : DEFAULT;
}

/**
 * The list and the open item side by side, the list's width set by the agent (drag the separator, or
 * focus it and use the arrows) and remembered. Below the breakpoint one pane shows at a time, chosen by the
 * route: `detailOpen` (a thread in the URL) shows the detail, else the list.
 */
export function Panes({ list, detail, detailOpen }: { list: ReactNode; detail: ReactNode; detailOpen: boolean }) {
  const [width, setWidth] = useState(savedWidth);
  const start = useRef<{ x: number; w: number } | undefined>(undefined);
  const commit = useCallback((w: number) => {
    const next = clamp(w);
    setWidth(next);
    writePref('listWidth', String(next));
  }, []);
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    start.current = { x: e.clientX, w: width };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (start.current) setWidth(clamp(start.current.w + e.clientX - start.current.x));
  };
  const onPointerUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    commit(start.current.w + e.clientX - start.current.x);
    start.current = undefined;
  };
  return (
    <div
      className="panes"
      data-open={detailOpen ? 'detail' : 'list'}
      style={{ '--list-width': `${width}px` } as React.CSSProperties}
    >
      <div className="pane pane-list">{list}</div>
      {/* biome-ignore lint/a11y/useSemanticElements: a movable separator has no native element; this is the ARIA splitter */}
      <div
        className="pane-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label={t('panes.resize')}
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onDoubleClick={() => commit(DEFAULT)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') commit(width - STEP);
          else if (e.key === 'ArrowRight') commit(width + STEP);
          else if (e.key === 'Home') commit(MIN);
          else if (e.key === 'End') commit(MAX);
          else return;
          e.preventDefault();
        }}
      />
      <div className="pane pane-detail">{detail}</div>
    </div>
  );
}
