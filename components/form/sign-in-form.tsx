"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Field, FormAlert } from "@/components/form/field";
import { SubmitButton } from "@/components/form/submit-button";
import { SIGN_IN_ERROR, ZSignIn } from "@/server/auth/schemas";

type TInput = z.input<typeof ZSignIn>;
type TOutput = z.output<typeof ZSignIn>;

// One message for every wrong part, so a caller cannot learn which one was wrong.
const MESSAGES: Record<string, string> = {
  [SIGN_IN_ERROR.invalidCredentials]: "Those sign-in details are not right. Check the organisation, username or email, and password.",
  [SIGN_IN_ERROR.accountBlocked]: "This account is disabled or locked. Contact your administrator.",
};

/** Only same-site paths: a crafted link cannot send someone elsewhere after signing in. */
function safeCallbackPath(callbackUrl: string | undefined): string {
  return callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
}

export function SignInForm({ defaults, callbackUrl }: { defaults: Partial<TInput>; callbackUrl?: string }) {
  const router = useRouter();
  const form = useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(ZSignIn),
    defaultValues: { organisation: "", login: "", password: "", ...defaults },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = async (values: TOutput) => {
    const result = await signIn("credentials", { redirect: false, ...values }).catch(() => undefined);
    if (result?.ok && !result.error) {
      router.replace(safeCallbackPath(callbackUrl));
      router.refresh();
      return;
    }
    form.setValue("password", "");
    form.setError("root", {
      message: MESSAGES[result?.error ?? ""] ?? "Sign-in is not available right now. Try again in a moment.",
    });
  };

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field label="Organisation" autoCapitalize="none" error={errors.organisation?.message} {...form.register("organisation")} />
      <Field label="Username or email" autoComplete="username" autoCapitalize="none" error={errors.login?.message} {...form.register("login")} />
      <Field label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...form.register("password")} />
      <SubmitButton pending={isSubmitting}>Sign in</SubmitButton>
    </form>
  );
}
