import type { TCreateFirstTenantInput } from "@/server/tenants/schemas";

/** A first-run setup form that passes validation. */
export const validFirstTenantInput: TCreateFirstTenantInput = {
  // Issue it first: issueSetupCode(db(), validFirstTenantInput.setupCode).
  setupCode: "test-setup-code-0001",
  organisationName: "Acme Ltd",
  organisationSlug: "acme",
  firstName: "Olive",
  lastName: "Owner",
  username: "olive",
  email: "olive@acme.test",
  mobile: "07911 123456",
  country: "GB",
  password: "correct horse battery staple",
  passwordConfirmation: "correct horse battery staple",
};
