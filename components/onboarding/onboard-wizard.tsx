"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { FormProvider, useForm } from "react-hook-form";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useHydrated } from "@/components/form/use-hydrated";
import { AccountStep } from "@/components/onboarding/account-step";
import { ApplicationsStep, DepartmentsStep, RolesStep } from "@/components/onboarding/access-steps";
import { ReviewStep } from "@/components/onboarding/review-step";
import { InvitationHandOver } from "@/components/onboarding/invitation-hand-over";
import { StepIndicator } from "@/components/onboarding/step-indicator";
import { EMPTY_CHOICES, firstStepOf, REVIEW_STEP, WIZARD_STEPS, type TOnboardOutput, type TOnboardValues } from "@/components/onboarding/wizard-steps";
import { useTemplateCatalogue } from "@/components/role-templates/use-template-catalogue";
import { useTRPC } from "@/components/trpc/client";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";
import { onboardingDraftKey, useOnboardingDraft } from "@/components/onboarding/use-onboarding-draft";
import { ZOnboardMember } from "@/server/onboarding/schemas";
import { ArchivedHolderLink } from "@/components/members/archived-holder-link";

/** The fields a tRPC error put field errors on. */
function erroredFields(error: unknown): string[] {
  const fieldErrors = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null } }).data?.fieldErrors ?? {};
  return Object.entries(fieldErrors)
    .filter(([, messages]) => Boolean(messages?.[0]))
    .map(([field]) => field);
}

type TWizardProps = { canGrantOwner: boolean; draftOwner: { tenantId: string; memberId: string } };

/**
 * The onboarding wizard: one form across four steps and a review. Next
 * validates only the current step's fields; Back and Next keep every entry
 * (the form holds them while a step is not shown); one call creates
 * everything at the end. A server error on a field sends the admin back to
 * that field's step. Everything entered is kept as a draft in the tab
 * (use-onboarding-draft.ts), and leaving with unsaved entries asks first.
 */
export function OnboardWizard(props: TWizardProps) {
  // Discarding the draft mounts a fresh wizard: every field as on a first visit (a form reset leaves uncontrolled inputs as typed).
  const [generation, setGeneration] = useState(0);
  return <OnboardWizardSteps key={generation} {...props} onDiscarded={() => setGeneration((current) => current + 1)} />;
}

function OnboardWizardSteps({ canGrantOwner, draftOwner, onDiscarded }: TWizardProps & { onDiscarded: () => void }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalogue = useTemplateCatalogue();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [step, setStep] = useState(0);
  const [reached, setReached] = useState(0);
  const [templateName, setTemplateName] = useState<string | null>(null);
  /** A member onboarded without an email: their invitation link, shown once for the admin to hand over. */
  const [handOver, setHandOver] = useState<{ memberId: string; link: string; fullName: string } | null>(null);
  const form = useForm<TOnboardValues, unknown, TOnboardOutput>({ resolver: zodResolver(ZOnboardMember), mode: "onTouched", defaultValues: EMPTY_CHOICES });

  const go = (next: number) => {
    setStep(next);
    setReached((furthest) => Math.max(furthest, next));
  };
  const draft = useOnboardingDraft(onboardingDraftKey(draftOwner.tenantId, draftOwner.memberId), form, { step, reached, templateName }, (restored) => {
    setStep(restored.step);
    setReached(restored.reached);
    setTemplateName(restored.templateName);
  });
  const discardDraft = () => {
    draft.discard();
    onDiscarded();
  };
  // Something created in another tab (the catalogue links open one) shows up on return.
  useEffect(() => {
    const refreshCatalogue = () => {
      void queryClient.invalidateQueries(trpc.departments.tree.pathFilter());
      void queryClient.invalidateQueries(trpc.access.list.pathFilter());
    };
    window.addEventListener("focus", refreshCatalogue);
    return () => window.removeEventListener("focus", refreshCatalogue);
  }, [queryClient, trpc]);
  // A new step's heading takes the focus (not on arrival), so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (reached > 0) headingRef.current?.focus();
  }, [step, reached]);

  const onboard = useMutation(
    trpc.onboarding.onboard.mutationOptions({
      onSuccess: async ({ id, invitationLink, fullName }) => {
        draft.discard();
        await queryClient.invalidateQueries(trpc.members.list.pathFilter());
        if (invitationLink) setHandOver({ memberId: id.toString(), link: invitationLink, fullName });
        else router.push(`/console/members/${id}?onboarded=1`);
      },
      onError: (error) => {
        if (isStepUpRequired(error)) return;
        if (applyServerFieldErrors(error, form.setError)) go(firstStepOf(erroredFields(error)));
        else form.setError("root", { message: error.message });
      },
    }),
  );
  const pending = onboard.isPending || onboard.isSuccess;
  const leaveDialog = useUnsavedChangesGuard(
    form.formState.isDirty && !onboard.isSuccess,
    "The member is not created yet. Your entries stay as a draft in this browser tab: come back to Members → Onboard to finish, or discard the draft there.",
  );
  // Onboarding an admin or owner asks the session to confirm it's them first.
  const { requireStepUp, stepUpDialog } = useStepUp();

  const next = async () => {
    const valid = await form.trigger([...WIZARD_STEPS[step]!.fields], { shouldFocus: true });
    if (valid) go(step + 1);
  };
  const create = form.handleSubmit(
    function submit(values) {
      onboard.mutate(values, { onError: (error) => void requireStepUp(error, () => submit(values)) });
    },
    (errors) => go(firstStepOf(Object.keys(errors))),
  );

  if (handOver) {
    return (
      <div className="max-w-3xl space-y-4">
        <InvitationHandOver link={handOver.link} fullName={handOver.fullName} />
        <Link href={`/console/members/${handOver.memberId}`} className={PRIMARY_BUTTON}>
          Open {handOver.fullName}&apos;s page
        </Link>
      </div>
    );
  }

  const current = WIZARD_STEPS[step]!;
  const rootError = form.formState.errors.root?.message;
  return (
    <FormProvider {...form}>
      {draft.restoredFrom ? (
        <div role="status" className="mb-4 flex max-w-3xl flex-wrap items-center gap-3 rounded-md border border-slate-200 bg-brand-50 px-4 py-3 text-sm text-slate-800">
          <span>Your unfinished onboarding was restored, as you left it.</span>
          <button type="button" className="font-medium text-brand-700 underline" onClick={discardDraft}>
            Discard the draft and start again
          </button>
        </div>
      ) : null}
      <StepIndicator current={step} reached={reached} onGo={go} />
      <form
        noValidate
        aria-labelledby="onboard-step-heading"
        className="max-w-3xl space-y-6"
        onSubmit={(event) => {
          // Enter in a field moves on a step; only the review step creates the member.
          event.preventDefault();
          if (step === REVIEW_STEP) void create(event);
          else void next();
        }}
      >
        <h2 id="onboard-step-heading" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900 outline-none">
          Step {step + 1} of {WIZARD_STEPS.length}: {current.title}
        </h2>
        {rootError ? <FormAlert>{rootError}</FormAlert> : null}
        <ArchivedHolderLink error={onboard.error} />
        {step === 0 ? <AccountStep canGrantOwner={canGrantOwner} appliedTemplate={templateName} onTemplateApplied={setTemplateName} /> : null}
        {step === 1 ? <DepartmentsStep catalogue={catalogue} /> : null}
        {step === 2 ? <ApplicationsStep catalogue={catalogue} /> : null}
        {step === 3 ? <RolesStep catalogue={catalogue} /> : null}
        {step === REVIEW_STEP ? <ReviewStep catalogue={catalogue} templateName={templateName} onEdit={go} /> : null}
        <div className="flex flex-wrap items-center gap-3">
          {step > 0 ? (
            <button type="button" className={SECONDARY_BUTTON} disabled={pending} onClick={() => go(step - 1)}>
              Back
            </button>
          ) : null}
          <button type="submit" className={PRIMARY_BUTTON} disabled={!hydrated || pending}>
            {step === REVIEW_STEP ? (pending ? "Creating…" : "Create member") : "Next"}
          </button>
          <Link href="/console/members" className="text-sm text-slate-600 hover:underline">
            Cancel
          </Link>
        </div>
        {stepUpDialog}
        {leaveDialog}
      </form>
    </FormProvider>
  );
}
