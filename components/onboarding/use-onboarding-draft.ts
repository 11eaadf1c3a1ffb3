"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { TOnboardOutput, TOnboardValues } from "@/components/onboarding/wizard-steps";

// The onboarding wizard's draft: everything typed and chosen, kept in this
// tab's sessionStorage (gone when the tab closes), under a key naming the
// organisation and the admin, so leaving the wizard (a link, Back, a reload)
// never loses an admin's work. Restored on return; cleared when the member is
// created or the admin discards it. The wizard has no password or secret
// field; anything named like one is dropped before saving all the same.

export type TOnboardingPosition = { step: number; reached: number; templateName: string | null };
type TDraft = TOnboardingPosition & { savedAt: string; values: Partial<TOnboardValues> };

const SECRET_NAME = /password|secret|token|code/i;

export const onboardingDraftKey = (tenantId: string, memberId: string) => `tenure:onboarding-draft:${tenantId}:${memberId}`;

/** The values worth keeping: no secret-like names; empty entries left out, so an emptied form compares equal to a fresh one. */
function storable(values: Record<string, unknown>): Partial<TOnboardValues> {
  const kept = Object.entries(values)
    .filter(([name, value]) => !SECRET_NAME.test(name) && value !== "" && value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(kept);
}

function readDraft(key: string): TDraft | null {
  try {
    const text = window.sessionStorage.getItem(key);
    if (!text) return null;
    const draft = JSON.parse(text) as TDraft;
    return typeof draft === "object" && draft !== null && typeof draft.values === "object" ? draft : null;
  } catch {
    return null;
  }
}

function writeDraft(key: string, draft: TDraft): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or refused (private mode): the unsaved-changes warning still stands guard.
  }
}

/**
 * Restores the draft once after mounting (not during render: the server's HTML
 * has the empty form), then saves every change. Returns when the restored
 * draft was saved (to say so) and `discard`, which empties the form and forgets it.
 */
export function useOnboardingDraft(
  key: string,
  form: UseFormReturn<TOnboardValues, unknown, TOnboardOutput>,
  position: TOnboardingPosition,
  restorePosition: (position: TOnboardingPosition) => void,
) {
  const [restoredFrom, setRestoredFrom] = useState<string | null>(null);
  const ready = useRef(false);
  const latest = useRef(position);

  /** The form as it was before anything was typed or restored: nothing differs from it, nothing to keep. */
  const pristine = useRef<string | null>(null);

  const save = useCallback(() => {
    if (!ready.current) return;
    const values = storable(form.getValues());
    if (JSON.stringify(values) === pristine.current) window.sessionStorage.removeItem(key);
    else writeDraft(key, { ...latest.current, savedAt: new Date().toISOString(), values });
  }, [form, key]);

  useEffect(() => {
    pristine.current = JSON.stringify(storable(form.getValues()));
    const draft = readDraft(key);
    if (draft) {
      // keepDefaultValues: the restored entries still count as unsaved, so leaving again warns.
      form.reset({ ...form.getValues(), ...draft.values }, { keepDefaultValues: true });
      restorePosition({ step: draft.step, reached: draft.reached, templateName: draft.templateName });
      // Read after hydration on purpose (the server rendered the empty form); sessionStorage is the external system here.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setRestoredFrom(draft.savedAt);
    }
    ready.current = true;
    const subscription = form.watch(() => save());
    return () => subscription.unsubscribe();
    // Once per mount: restoring again would undo what was typed since.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Moving between steps (and applying a template) is part of the draft too.
  const { step, reached, templateName } = position;
  useEffect(() => {
    latest.current = { step, reached, templateName };
    save();
  }, [save, step, reached, templateName]);

  const discard = useCallback(() => {
    window.sessionStorage.removeItem(key);
    setRestoredFrom(null);
  }, [key]);

  return { restoredFrom, discard };
}
