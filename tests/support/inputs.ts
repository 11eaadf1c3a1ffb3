import type { TCreateFirstTenantInput } from "@/server/tenants/schemas";

/** A first-run setup form that passes validation. */
export const validFirstTenantInput: TCreateFirstTenantInput = {
  organisationName: "Acme Ltd",
  organisationSlug: "acme",
  fullName: "Olive Owner",
  username: "olive",
  email: "olive@acme.test",
  password: "correct horse battery staple",
  passwordConfirmation: "correct horse battery staple",
};
