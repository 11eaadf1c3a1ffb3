"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { plural } from "@/components/heatmap/heatmap-scale";

// A virtualised SVG heatmap: only the cells in view (and the one holding
// keyboard focus) are drawn, so 1,000 × 500 cells scroll like 30 × 20. The
// axis labels sit in their own panes, moved with the body's scroll, so they
// stay in view (sticky) whichever way the body scrolls. Cells are one tab
// stop (a roving tabindex): arrows, Home/End, Page Up/Down move, Enter opens.

export type TGridLabel = { key: string; label: string; title: string; indent?: number };
export type TGridCell = {
  fill: string;
  text: string;
  lines: string[];
  outlier: boolean;
  /** What a screen reader says: "Engineering, repo:write: 12 of 40 members (30%)". */
  name: string;
};

const CELL = 44;
const HEADER_HEIGHT = 132;
const OVERSCAN = 4;
const PAGE_ROWS = 10;

type TPosition = { row: number; column: number };

function useSize(element: HTMLElement | null) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function HeatmapGrid({
  label,
  rows,
  columns,
  cellAt,
  onOpen,
}: {
  label: string;
  rows: TGridLabel[];
  columns: TGridLabel[];
  cellAt: (row: number, column: number) => TGridCell;
  onOpen?: (row: number, column: number) => void;
}) {
  const [frame, setFrame] = useState<HTMLDivElement | null>(null);
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const { width } = useSize(frame);
  const labelWidth = width > 0 && width < 640 ? 120 : 220;
  const [scroll, setScroll] = useState({ left: 0, top: 0 });
  const [viewport, setViewport] = useState({ width: 600, height: 480 });
  const [focus, setFocus] = useState<TPosition>({ row: 0, column: 0 });
  const pendingFocus = useRef(false);
  const frameRequest = useRef<number | null>(null);

  const bodyHeight = Math.min(rows.length * CELL, 560);
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body) setViewport({ width: body.clientWidth, height: body.clientHeight });
  }, [width, bodyHeight]);

  // Keep the focus inside the grid when filters shrink it.
  const row = Math.min(focus.row, Math.max(rows.length - 1, 0));
  const column = Math.min(focus.column, Math.max(columns.length - 1, 0));

  const onScroll = useCallback(() => {
    if (frameRequest.current !== null) return;
    frameRequest.current = requestAnimationFrame(() => {
      frameRequest.current = null;
      const body = bodyRef.current;
      if (body) setScroll({ left: body.scrollLeft, top: body.scrollTop });
    });
  }, []);
  useEffect(() => () => {
    if (frameRequest.current !== null) cancelAnimationFrame(frameRequest.current);
  }, []);

  const firstRow = Math.max(0, Math.floor(scroll.top / CELL) - OVERSCAN);
  const lastRow = Math.min(rows.length - 1, Math.ceil((scroll.top + viewport.height) / CELL) + OVERSCAN);
  const firstColumn = Math.max(0, Math.floor(scroll.left / CELL) - OVERSCAN);
  const lastColumn = Math.min(columns.length - 1, Math.ceil((scroll.left + viewport.width) / CELL) + OVERSCAN);

  const visible = useMemo(() => {
    const positions: TPosition[] = [];
    for (let r = firstRow; r <= lastRow; r += 1) for (let c = firstColumn; c <= lastColumn; c += 1) positions.push({ row: r, column: c });
    const focusShown = row >= firstRow && row <= lastRow && column >= firstColumn && column <= lastColumn;
    // The tab stop is always drawn, so Tab reaches the grid wherever it is scrolled.
    if (!focusShown && rows.length > 0 && columns.length > 0) positions.push({ row, column });
    return positions;
  }, [firstRow, lastRow, firstColumn, lastColumn, row, column, rows.length, columns.length]);

  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current = false;
    svgRef.current?.querySelector<SVGGElement>(`[data-cell="${row}:${column}"]`)?.focus();
  });

  const moveTo = (next: TPosition) => {
    const target = { row: Math.max(0, Math.min(rows.length - 1, next.row)), column: Math.max(0, Math.min(columns.length - 1, next.column)) };
    const body = bodyRef.current;
    if (body) {
      const top = target.row * CELL;
      const left = target.column * CELL;
      if (top < body.scrollTop) body.scrollTop = top;
      else if (top + CELL > body.scrollTop + body.clientHeight) body.scrollTop = top + CELL - body.clientHeight;
      if (left < body.scrollLeft) body.scrollLeft = left;
      else if (left + CELL > body.scrollLeft + body.clientWidth) body.scrollLeft = left + CELL - body.clientWidth;
      setScroll({ left: body.scrollLeft, top: body.scrollTop });
    }
    pendingFocus.current = true;
    setFocus(target);
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, TPosition> = {
      ArrowRight: { row, column: column + 1 },
      ArrowLeft: { row, column: column - 1 },
      ArrowDown: { row: row + 1, column },
      ArrowUp: { row: row - 1, column },
      Home: event.ctrlKey ? { row: 0, column: 0 } : { row, column: 0 },
      End: event.ctrlKey ? { row: rows.length - 1, column: columns.length - 1 } : { row, column: columns.length - 1 },
      PageDown: { row: row + PAGE_ROWS, column },
      PageUp: { row: row - PAGE_ROWS, column },
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      moveTo(move);
    } else if ((event.key === "Enter" || event.key === " ") && onOpen) {
      event.preventDefault();
      onOpen(row, column);
    }
  };

  const bodyWidth = columns.length * CELL;
  const visibleRows = rows.slice(firstRow, lastRow + 1);
  const visibleColumns = columns.slice(firstColumn, lastColumn + 1);

  return (
    <div ref={setFrame} className="min-w-0 rounded-lg border border-slate-200 bg-white">
      <div className="grid" style={{ gridTemplateColumns: `${labelWidth}px minmax(0, 1fr)` }}>
        <div className="flex items-end border-b border-r border-slate-200 p-2 text-xs text-slate-600" style={{ height: HEADER_HEIGHT }}>
          {plural(rows.length, "row")} × {plural(columns.length, "column")}
        </div>
        {/* Column labels: drawn for the columns in view, shifted with the body's horizontal scroll. */}
        <div className="overflow-hidden border-b border-slate-200" style={{ height: HEADER_HEIGHT }} aria-hidden="true">
          {/* Wider than the columns: the last labels lean right, past the last column. */}
          <svg width={bodyWidth + HEADER_HEIGHT} height={HEADER_HEIGHT} style={{ transform: `translateX(${-scroll.left}px)` }}>
            {visibleColumns.map((item, offset) => {
              const x = (firstColumn + offset) * CELL + CELL / 2;
              return (
                <text key={item.key} transform={`translate(${x + 4}, ${HEADER_HEIGHT - 6}) rotate(-60)`} fontSize={12} fill="#0f172a">
                  <title>{item.title}</title>
                  {shorten(item.label, 22)}
                </text>
              );
            })}
          </svg>
        </div>
        {/* Row labels: drawn for the rows in view, shifted with the body's vertical scroll. */}
        <div className="overflow-hidden border-r border-slate-200" style={{ height: bodyHeight }} aria-hidden="true">
          <svg width={labelWidth} height={rows.length * CELL} style={{ transform: `translateY(${-scroll.top}px)` }}>
            {visibleRows.map((item, offset) => {
              const y = (firstRow + offset) * CELL;
              const indent = Math.min(item.indent ?? 0, 6) * 8;
              return (
                <text key={item.key} x={8 + indent} y={y + CELL / 2 + 4} fontSize={12} fill="#0f172a" fontWeight={(firstRow + offset) === row ? 600 : 400}>
                  <title>{item.title}</title>
                  {shorten(item.label, Math.floor((labelWidth - 16 - indent) / 7))}
                </text>
              );
            })}
          </svg>
        </div>
        <div ref={bodyRef} onScroll={onScroll} className="relative overflow-auto" style={{ height: bodyHeight }} data-heatmap-body>
          <div style={{ width: bodyWidth, height: rows.length * CELL }}>
            <svg
              ref={svgRef}
              role="group"
              aria-label={`${label}: use the arrow keys to move between cells${onOpen ? ", Enter to list the holders" : ""}`}
              width={bodyWidth}
              height={rows.length * CELL}
              onKeyDown={onKeyDown}
            >
              {visible.map((position) => {
                const cell = cellAt(position.row, position.column);
                const x = position.column * CELL;
                const y = position.row * CELL;
                const isFocus = position.row === row && position.column === column;
                return (
                  <g
                    key={`${position.row}:${position.column}`}
                    data-cell={`${position.row}:${position.column}`}
                    // A cell that opens something is a button; one that only tells its value is an image with a name.
                    role={onOpen ? "button" : "img"}
                    tabIndex={isFocus ? 0 : -1}
                    aria-label={cell.name}
                    className={`${onOpen ? "cursor-pointer" : ""} outline-none [&:focus>rect:last-of-type]:stroke-[3] [&:focus>rect:last-of-type]:stroke-amber-500`}
                    onClick={() => {
                      setFocus(position);
                      onOpen?.(position.row, position.column);
                    }}
                    onFocus={() => {
                      if (!isFocus) setFocus(position);
                    }}
                  >
                    <rect x={x + 1} y={y + 1} width={CELL - 2} height={CELL - 2} fill={cell.fill} stroke="#e2e8f0" />
                    {cell.lines.map((line, index) => (
                      <text key={index} x={x + CELL / 2} y={y + (cell.lines.length === 1 ? 27 : 19 + index * 14)} textAnchor="middle" fontSize={index === 0 ? 12 : 10} fontWeight={index === 0 ? 600 : 400} fill={cell.text}>
                        {line}
                      </text>
                    ))}
                    {cell.outlier ? <path d={`M${x + CELL - 14} ${y + 2} h12 v12 z`} fill="#f59e0b" stroke="#78350f" strokeWidth={1} /> : null}
                    <rect x={x + 1} y={y + 1} width={CELL - 2} height={CELL - 2} fill="none" stroke="none" pointerEvents="none" />
                  </g>
                );
              })}
            </svg>
          </div>
        </div>
      </div>
    </div>
  );
}
