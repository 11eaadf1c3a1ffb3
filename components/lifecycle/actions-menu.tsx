"use client";

import { Fragment, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";

export type TMenuItem = { key: string; label: string; destructive?: boolean };

/**
 * A menu button (WAI-ARIA APG "menu button"): the button opens a list of
 * actions; arrow keys, Home and End move between them, Enter or Space picks
 * one, Escape closes the menu and gives the focus back to the button, Tab or a
 * click elsewhere closes it. Destructive items come last, after a separator.
 */
export function ActionsMenu({ label, items, onSelect, disabled = false }: { label: string; items: TMenuItem[]; onSelect: (key: string) => void; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();
  const ordered = [...items.filter((item) => !item.destructive), ...items.filter((item) => item.destructive)];
  const firstDestructive = ordered.findIndex((item) => item.destructive);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, [open]);

  if (ordered.length === 0) return null;

  const openAt = (index: number) => {
    setFocusIndex(index);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const pick = (key: string) => {
    setOpen(false);
    onSelect(key);
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openAt(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openAt(ordered.length - 1);
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const last = ordered.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: focusIndex === last ? 0 : focusIndex + 1,
      ArrowUp: focusIndex === 0 ? last : focusIndex - 1,
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setFocusIndex(moves[event.key]!);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : openAt(0))}
        onKeyDown={onButtonKey}
        disabled={disabled}
        className={SECONDARY_BUTTON}
      >
        {label} <span aria-hidden="true" className="ml-1">▾</span>
      </button>
      {open && !disabled ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={buttonId}
          onKeyDown={onMenuKey}
          className="absolute right-0 z-20 mt-1 min-w-48 rounded-md border border-slate-200 bg-white py-1 shadow-lg"
        >
          {ordered.map((item, index) => (
            <Fragment key={item.key}>
              {index === firstDestructive && index > 0 ? <div role="separator" className="my-1 border-t border-slate-200" /> : null}
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => pick(item.key)}
                className={`block w-full px-4 py-2 text-left text-sm focus:outline-none ${item.destructive ? "text-red-700 hover:bg-red-50 focus:bg-red-50" : "text-slate-800 hover:bg-slate-100 focus:bg-slate-100"}`}
              >
                {item.label}
              </button>
            </Fragment>
          ))}
        </div>
      ) : null}
    </div>
  );
}
