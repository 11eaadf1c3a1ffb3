"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SubmitButton } from "@/components/form/submit-button";
import { continueAfterSignIn } from "@/components/navigation/continue-after-sign-in";
import { SignInCodeStep } from "@/components/me/sign-in-code-step";
import { formatDateTime } from "@/components/members/member-labels";
import { useTimeZone } from "@/components/date-time";
import { MFA_SIGN_IN_ERROR } from "@/server/auth/mfa/schemas";
import { parseSignInError, SIGN_IN_ERROR, ZSignIn } from "@/server/auth/schemas";

type TInput = z.input<typeof ZSignIn>;
type TOutput = z.output<typeof ZSignIn>;

const until = (detail: string | null, timeZone: string) => (detail && !Number.isNaN(Date.parse(detail)) ? formatDateTime(detail, timeZone) : "later");

// One message for every wrong part, so a caller cannot learn which one was wrong;
// lockouts and limits are told the same way whether the account exists or not.
function messageFor(error: string | null | undefined, timeZone: string): string {
  const { code, detail } = parseSignInError(error);
  switch (code) {
    case SIGN_IN_ERROR.invalidCredentials:
      return "Those sign-in details are not right. Check the organisation, username or email, and password.";
    case SIGN_IN_ERROR.accountBlocked:
      return "This account is disabled or locked. Contact your administrator.";
    case SIGN_IN_ERROR.accountLocked:
      return `Sign-in is paused until ${until(detail, timeZone)} after too many failed sign-in attempts from devices like this one. A device you signed in on before can still sign in; or try again then, or ask your administrator to clear the throttle.`;
    case SIGN_IN_ERROR.rateLimited: {
      const minutes = Number(detail) || 1;
      return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
    }
    case SIGN_IN_ERROR.abnormalBlocked:
      return `This sign-in looked unusual (a new device or unusually frequent sign-ins), so the account is locked until ${until(detail, timeZone)}. If it was you, ask your administrator to unlock it.`;
    case SIGN_IN_ERROR.directoryUnreachable:
      return "Your organisation's directory cannot be reached right now, so your password cannot be checked. Try again shortly.";
    case SIGN_IN_ERROR.unavailable:
      return `Sign-in is not available right now. Try again in a moment${detail && /^[0-9a-f]{1,32}$/.test(detail) ? ` (error id ${detail})` : ""}.`;
    default:
      return "Sign-in is not available right now. Try again in a moment.";
  }
}

export function SignInForm({ defaults, callbackUrl }: { defaults: Partial<TInput>; callbackUrl?: string }) {
  const timeZone = useTimeZone();
  const router = useRouter();
  const form = useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(ZSignIn),
    defaultValues: { organisation: "", login: "", password: "", ...defaults },
  });
  const { errors, isSubmitting } = form.formState;
  // Set when the password was right and the member has MFA: the code step comes next.
  const [challenge, setChallenge] = useState<string | null>(null);
  // Only same-site paths: a crafted link cannot send someone elsewhere after signing in.
  const signedIn = () => continueAfterSignIn(router, callbackUrl);

  const onSubmit = async (values: TOutput) => {
    const result = await signIn("credentials", { redirect: false, ...values }).catch(() => undefined);
    if (result?.ok && !result.error) return signedIn();
    form.setValue("password", "");
    const { code, detail } = parseSignInError(result?.error);
    if (code === MFA_SIGN_IN_ERROR.codeRequired && detail) return setChallenge(detail);
    form.setError("root", { message: messageFor(result?.error, timeZone) });
  };

  if (challenge) {
    return (
      <SignInCodeStep
        challenge={challenge}
        onSignedIn={signedIn}
        describeError={(error) => messageFor(error, timeZone)}
        onRestart={(message) => {
          setChallenge(null);
          if (message) form.setError("root", { message });
        }}
      />
    );
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field label="Organisation" autoCapitalize="none" error={errors.organisation?.message} {...form.register("organisation")} />
      <Field
        label="Username or email"
        autoComplete="username"
        autoCapitalize="none"
        hint="Or your mobile number in international form, e.g. +44 7400 123456"
        error={errors.login?.message}
        {...form.register("login")}
      />
      <Field label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...form.register("password")} />
      <SubmitButton pending={isSubmitting}>Sign in</SubmitButton>
    </form>
  );
}
