"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useForm, type FieldErrors } from "react-hook-form";
import { Field, FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { useHydrated } from "@/components/form/use-hydrated";
import { DANGER_BUTTON } from "@/components/lifecycle/danger-button";
import { ACTION_EXPLANATIONS, ACTION_LABELS, ACTION_PROGRESS } from "@/components/lifecycle/lifecycle-labels";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { OffboardingPreview, useOffboardingPreview } from "@/components/lifecycle/offboarding-preview";
import { countMembers } from "@/components/members/member-list-labels";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { OFFBOARDING_ACTIONS, type TOffboardingAction } from "@/server/lifecycle/offboarding-plan";
import type { TLifecycleActionOutcome } from "@/server/lifecycle/run-lifecycle-action";
import { ZLifecycleActionInput, type TLifecycleActionInput, type TLifecycleActionParsed } from "@/server/lifecycle/schemas";
import type { TLifecycleAction } from "@/server/shared/member-states";

const DESTRUCTIVE: ReadonlySet<TLifecycleAction> = new Set(["lock", "disable", "resign", "archive", "delete"]);

/** The form's starting values: exactly the fields this action's schema allows (they are strict objects). */
function initialValues(action: TLifecycleAction, memberIds: string[]): TLifecycleActionInput {
  switch (action) {
    case "lock":
      return { action, memberIds, reason: "", lockStartDate: "", lockEndDate: "" };
    case "disable":
      return { action, memberIds, reason: "" };
    case "resign":
      return { action, memberIds, reason: "", leaveDate: "" };
    default:
      return { action, memberIds };
  }
}

/**
 * A datetime-local input's value is a wall-clock time with no zone; the console
 * shows UTC everywhere, so the value is read as UTC ("…T10:00" → "…T10:00Z").
 */
const asUtc = (value: unknown) => (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value) ? `${value}Z` : value);

/** While a request runs: how long it has been (a bulk action on thousands takes seconds). */
function Progress({ label }: { label: string }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, []);
  return (
    <div role="status" className="space-y-1">
      <p className="text-sm text-slate-700">
        {label}… {seconds > 0 ? `${seconds} s` : null}
      </p>
      <div aria-hidden="true" className="h-1.5 w-full overflow-hidden rounded bg-slate-200">
        <div className="h-full w-1/3 animate-pulse rounded bg-brand-600" />
      </div>
    </div>
  );
}

function GracePeriod() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.lifecycle.settings.queryOptions());
  const days = settings.data?.deletionGraceDays;
  return (
    <p className="text-sm text-slate-700" data-testid="grace-period">
      {days
        ? `Grace period: ${days} day${days === 1 ? "" : "s"} (Settings → Lifecycle). Until then, Restore in the recycle bin brings everything back; then the member is erased permanently.`
        : settings.isError
          ? "The grace period could not be loaded; it is set in Settings → Lifecycle."
          : "Loading the grace period…"}
    </p>
  );
}

type TDialogProps = {
  action: TLifecycleAction;
  memberIds: readonly string[];
  /** Who it is about: a member's name, or "3 members". */
  subject: string;
  onClose: () => void;
  onDone: (outcome: TLifecycleActionOutcome) => void;
};

function ActionForm({ action, memberIds, subject, onClose, onDone, preview, blocked }: TDialogProps & { preview?: ReactNode; blocked: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const id = useId();
  const form = useForm<TLifecycleActionInput, unknown, TLifecycleActionParsed>({
    resolver: zodResolver(ZLifecycleActionInput),
    defaultValues: initialValues(action, [...memberIds]),
  });
  const run = useMutation(
    trpc.lifecycle.run.mutationOptions({
      onSuccess: onDone,
      onError: (error) => {
        if (isStepUpRequired(error)) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  // A restore, or letting an admin back in, asks "Confirm it's you" first (server/auth/sensitive-operations.ts), then runs again.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const runAction = (values: TLifecycleActionParsed) => run.mutate(values, { onError: (error) => void requireStepUp(error, () => runAction(values)) });
  // The union's fields, whichever of them this action has.
  const errors = form.formState.errors as FieldErrors<{ reason: string; lockStartDate: string; lockEndDate: string; leaveDate: string; memberIds: string }> & { root?: { message?: string } };
  const bulk = memberIds.length > 1;
  const label = `${ACTION_LABELS[action]} ${subject}`;

  return (
    <ModalDialog title={`${ACTION_LABELS[action]} ${subject}?`} busy={run.isPending} onClose={onClose} wide={bulk}>
      <form noValidate className="space-y-4" onSubmit={form.handleSubmit(runAction)}>
        <p className="text-sm text-slate-700">{ACTION_EXPLANATIONS[action]}</p>
        {action === "delete" ? <GracePeriod /> : null}
        {action === "lock" || action === "disable" ? (
          <Field id={`${id}-reason`} label="Reason" hint="Recorded, and told to the member by mail." error={errors.reason?.message} {...form.register("reason")} />
        ) : null}
        {action === "lock" ? (
          <Field
            id={`${id}-lock-start`}
            type="datetime-local"
            label="Lock starts (UTC, optional)"
            hint="Empty: locked now. A future date schedules the lock for then."
            error={errors.lockStartDate?.message}
            {...form.register("lockStartDate", { setValueAs: asUtc })}
          />
        ) : null}
        {action === "lock" ? (
          <Field
            id={`${id}-lock-end`}
            type="datetime-local"
            label="Lock ends (UTC, optional)"
            hint="Empty: locked until someone unlocks it."
            error={errors.lockEndDate?.message}
            {...form.register("lockEndDate", { setValueAs: asUtc })}
          />
        ) : null}
        {action === "resign" ? (
          <>
            <Field id={`${id}-reason`} label="Reason (optional)" error={errors.reason?.message} {...form.register("reason")} />
            <Field
              id={`${id}-leave-date`}
              type="datetime-local"
              label="Leave date (UTC, optional)"
              hint="Empty: the member leaves now. A future date schedules the resignation for then."
              error={errors.leaveDate?.message}
              {...form.register("leaveDate", { setValueAs: asUtc })}
            />
          </>
        ) : null}
        {preview}
        {errors.memberIds?.message ? <FormAlert>{errors.memberIds.message}</FormAlert> : null}
        {errors.root?.message ? <FormAlert>Nothing was changed: {errors.root.message}</FormAlert> : null}
        {run.isPending ? <Progress label={`${ACTION_PROGRESS[action]} ${bulk ? countMembers(memberIds.length) : subject}`} /> : null}
        <div className="flex flex-wrap gap-2">
          <button type="submit" disabled={!hydrated || run.isPending || blocked} className={DESTRUCTIVE.has(action) ? DANGER_BUTTON : PRIMARY_BUTTON}>
            {run.isPending ? `${ACTION_PROGRESS[action]}…` : label}
          </button>
          <button type="button" disabled={run.isPending} onClick={onClose} className={SECONDARY_BUTTON}>
            Cancel
          </button>
        </div>
      </form>
      {stepUpDialog}
    </ModalDialog>
  );
}

function OffboardingActionDialog(props: TDialogProps & { action: TOffboardingAction }) {
  const preview = useOffboardingPreview(props.action, props.memberIds);
  // Confirming waits for the preview: the admin sees what goes before it goes.
  const blocked = !preview.isSuccess || preview.data.affected === 0;
  return <ActionForm {...props} blocked={blocked} preview={<OffboardingPreview action={props.action} memberIds={props.memberIds} preview={preview} />} />;
}

const isOffboarding = (action: TLifecycleAction): action is TOffboardingAction => (OFFBOARDING_ACTIONS as readonly string[]).includes(action);

/** The confirmation of one lifecycle action on one member or many: its fields, the preview when it revokes, progress, errors. */
export function LifecycleActionDialog(props: TDialogProps) {
  const { action } = props;
  if (isOffboarding(action)) return <OffboardingActionDialog {...props} action={action} />;
  return <ActionForm {...props} blocked={false} />;
}
