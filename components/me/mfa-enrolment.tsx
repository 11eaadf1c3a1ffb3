"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Image from "next/image";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { Field, FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { FormActions } from "@/components/form/form-actions";
import { useHydrated } from "@/components/form/use-hydrated";
import type { TActionResult } from "@/components/me/action-result";
import { RecoveryCodes } from "@/components/me/recovery-codes";
import type { TStepUpConfirm } from "@/components/step-up/step-up-dialog";
import { useStepUp } from "@/components/step-up/use-step-up";
import { ZConfirmMfa } from "@/server/auth/mfa/schemas";

type TInput = z.input<typeof ZConfirmMfa>;
type TOutput = z.output<typeof ZConfirmMfa>;
export type TMfaSetup = { secret: string; otpauthUri: string; qrCode: string };
export type TMfaEnrolmentActions = {
  start: () => Promise<TActionResult<TMfaSetup>>;
  confirm: (input: TOutput) => Promise<TActionResult<{ recoveryCodes: string[] }>>;
  /** How "Confirm it's you" proves it; the API's auth.stepUp when left out. */
  stepUp?: TStepUpConfirm;
};

const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

/**
 * Setting up an authenticator app: (after "Confirm it's you") a QR code and
 * the key to type by hand, then the first code, then the recovery codes
 * (shown once). The same steps serve self-service and the enrolment an
 * organisation's policy forces right after sign-in.
 */
export function MfaEnrolment({ actions, onFinished }: { actions: TMfaEnrolmentActions; onFinished: () => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const [setup, setSetup] = useState<TMfaSetup | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const { askStepUp, stepUpDialog } = useStepUp({ confirm: actions.stepUp });
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZConfirmMfa), defaultValues: { code: "" } });
  const { errors, isSubmitting } = form.formState;

  const begin = async () => {
    setStartError(null);
    setStarting(true);
    const result = await actions.start();
    setStarting(false);
    if (result.ok) return setSetup(result.value);
    if (result.stepUpRequired) return askStepUp(() => void begin());
    setStartError(result.message);
  };

  const confirm = async (values: TOutput) => {
    const result = await actions.confirm(values);
    if (result.ok) return setRecoveryCodes(result.value.recoveryCodes);
    form.setValue("code", "");
    const message = result.fieldErrors.code?.[0];
    if (message) form.setError("code", { type: "server", message });
    else form.setError("root", { message: result.message });
  };

  if (recoveryCodes) {
    return (
      <div className="space-y-3">
        <SuccessStatus message="Two-step verification is on. From now on, signing in asks for a code from your app after your password." />
        <RecoveryCodes codes={recoveryCodes} onDone={onFinished} />
      </div>
    );
  }
  if (!setup) {
    return (
      <div className="space-y-3">
        {startError ? <FormAlert>{startError}</FormAlert> : null}
        <button type="button" className={PRIMARY_BUTTON} disabled={!hydrated || starting} onClick={() => void begin()}>
          {starting ? "Preparing…" : "Set up an authenticator app"}
        </button>
        {stepUpDialog}
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app on your phone (any that supports TOTP codes).</li>
        <li>Scan this QR code with it, or type the key below by hand.</li>
        <li>Enter the 6-digit code the app then shows.</li>
      </ol>
      <div className="flex flex-wrap items-center gap-6">
        <Image src={setup.qrCode} alt="QR code to add this account to an authenticator app" width={192} height={192} unoptimized className="rounded border border-slate-200 bg-white" />
        <div className="space-y-1 text-sm">
          <p className="text-slate-600">Key to type by hand:</p>
          <p className="font-mono text-base font-semibold tracking-wide text-slate-900" data-testid="totp-secret" data-secret={setup.secret}>
            {grouped(setup.secret)}
          </p>
          <p className="text-xs text-slate-500">Time-based, 6 digits, every 30 seconds.</p>
        </div>
      </div>
      <form noValidate aria-label="Confirm your authenticator app" className="space-y-3" onSubmit={form.handleSubmit(confirm)}>
        {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
        <Field id={`${id}-code`} label="Code from the app" inputMode="numeric" autoComplete="one-time-code" error={errors.code?.message} {...form.register("code")} />
        <FormActions label="Turn on two-step verification" pendingLabel="Checking…" pending={isSubmitting} onCancel={() => setSetup(null)} />
      </form>
    </div>
  );
}
