import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { HARD_TEXT_LIMIT, hasForbiddenCharacters } from "@/server/validation/text";

// An application's OpenID Connect settings (issue 14, item 2): one schema for
// the console's form and the procedures. Pure: the form bundles it. The caps
// are the database's CHECK constraints (migration 20261206110000_oidc_provider),
// said in words here so an admin reads a sentence, not a refused statement.

export const OIDC_CLIENT_TYPES = ["confidential", "public"] as const;
export type TOidcClientType = (typeof OIDC_CLIENT_TYPES)[number];

/** Standard scopes from the member record, then Tenure's effective access. */
export const CLAIM_SETS = ["profile", "email", "phone", "roles", "groups", "permissions"] as const;
export type TClaimSet = (typeof CLAIM_SETS)[number];

export const MAX_URIS_PER_LIST = 10;
export const MAX_URI_LENGTH = 2000;

export const TOKEN_TTL_CAPS = {
  accessTokenTtlSeconds: { min: 60, max: 3600, minText: "1 minute", maxText: "1 hour" },
  idTokenTtlSeconds: { min: 60, max: 3600, minText: "1 minute", maxText: "1 hour" },
  refreshTokenTtlSeconds: { min: 3600, max: 7_776_000, minText: "1 hour", maxText: "90 days" },
} as const;

/** How long the replaced secret keeps working after a rotation: 0 = it stops at once. */
export const SECRET_OVERLAP_HOURS = { default: 24, max: 30 * 24 } as const;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why an address cannot be registered, or null. OpenID Connect compares
 * redirect URIs exactly, so what is stored is what the admin typed (trimmed):
 * no wildcard, no fragment, https only (http for a developer's own machine).
 */
export function uriProblem(value: string): string | null {
  if (value.length > MAX_URI_LENGTH) return `At most ${MAX_URI_LENGTH.toLocaleString("en-GB")} characters`;
  if (hasForbiddenCharacters(value) || /\s/.test(value)) return "Remove the spaces and control characters";
  if (value.includes("*")) return "Wildcards are not allowed: list each address exactly";
  if (value.includes("#")) return "Remove the fragment (#…): it is not allowed in these addresses";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter an absolute address, such as https://app.example.com/callback";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// address";
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) return "Use https:// (http:// only for localhost or 127.0.0.1)";
  if (url.username || url.password) return "Remove the user name and password from the address";
  return null;
}

/** One address per line from the form's textarea, or the list the API sends; trimmed, blank lines and repeats dropped. */
function toUriList(value: string | string[]): string[] {
  const lines = typeof value === "string" ? value.split(/\r?\n/) : value;
  return [...new Set(lines.map((line) => line.trim()).filter((line) => line !== ""))];
}

const zUriList = (what: string, required: boolean) =>
  z
    .union([z.string().max(HARD_TEXT_LIMIT, "Too long"), z.array(z.string().max(HARD_TEXT_LIMIT, "Too long")).max(1000, "Too many addresses")])
    .transform(toUriList)
    .superRefine((uris, context) => {
      if (required && uris.length === 0) context.addIssue({ code: "custom", message: `Add at least one ${what}` });
      if (uris.length > MAX_URIS_PER_LIST) context.addIssue({ code: "custom", message: `At most ${MAX_URIS_PER_LIST} ${what}s` });
      // One message for the field, naming the line: the form shows the list as one text area.
      const problems = uris.slice(0, MAX_URIS_PER_LIST).flatMap((uri, index) => {
        const problem = uriProblem(uri);
        return problem ? [uris.length === 1 ? problem : `Line ${index + 1}: ${problem}`] : [];
      });
      if (problems.length > 0) context.addIssue({ code: "custom", message: problems.join(". ") });
    });

const zOptionalUri = z
  .string()
  .max(HARD_TEXT_LIMIT, "Too long")
  .trim()
  .transform((value) => (value === "" ? null : value))
  .nullish()
  .superRefine((value, context) => {
    const problem = value ? uriProblem(value) : null;
    if (problem) context.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => value ?? null);

const zTtl = (field: keyof typeof TOKEN_TTL_CAPS) => {
  const cap = TOKEN_TTL_CAPS[field];
  const range = `between ${cap.min.toLocaleString("en-GB")} (${cap.minText}) and ${cap.max.toLocaleString("en-GB")} seconds (${cap.maxText})`;
  return z
    .number({ error: `Enter a number of seconds ${range}` })
    .int("Enter whole seconds")
    .min(cap.min, `At least ${cap.min.toLocaleString("en-GB")} seconds (${cap.minText})`)
    .max(cap.max, `At most ${cap.max.toLocaleString("en-GB")} seconds (${cap.maxText})`);
};

export const ZClaimSet = z.enum(CLAIM_SETS);
export const ZOidcClientType = z.enum(OIDC_CLIENT_TYPES);

/** The settings themselves, as the form edits them. */
export const oidcSettingsFields = {
  clientType: ZOidcClientType,
  redirectUris: zUriList("redirect URI", true),
  postLogoutRedirectUris: zUriList("post-logout redirect URI", false),
  backchannelLogoutUri: zOptionalUri,
  firstParty: z.boolean(),
  accessTokenTtlSeconds: zTtl("accessTokenTtlSeconds"),
  idTokenTtlSeconds: zTtl("idTokenTtlSeconds"),
  refreshTokenTtlSeconds: zTtl("refreshTokenTtlSeconds"),
  claimSets: z
    .array(ZClaimSet)
    .max(CLAIM_SETS.length * 2, "Too many claim sets")
    .transform((sets) => CLAIM_SETS.filter((set) => sets.includes(set))),
};

export const ZApplicationRef = z.strictObject({ applicationId: ZEntityId("Unknown application") });

/**
 * Enabling sign-in and changing the settings: the same form. The form states
 * the version it started from (oidcUpdatedAt, null before the first save);
 * a save over someone else's is refused, never silently merged.
 */
export const ZOidcSettingsInput = z.strictObject({
  applicationId: ZEntityId("Unknown application"),
  expectedUpdatedAt: z.date().nullable(),
  ...oidcSettingsFields,
});
export type TOidcSettingsInput = z.input<typeof ZOidcSettingsInput>;
export type TOidcSettingsValues = z.output<typeof ZOidcSettingsInput>;

export const ZRotateClientSecret = z.strictObject({
  applicationId: ZEntityId("Unknown application"),
  previousSecretValidForHours: z
    .number({ error: "Choose how long the previous secret keeps working" })
    .int("Choose how long the previous secret keeps working")
    .min(0, "Choose how long the previous secret keeps working")
    .max(SECRET_OVERLAP_HOURS.max, "At most 30 days")
    .default(SECRET_OVERLAP_HOURS.default),
});
export type TRotateClientSecretInput = z.input<typeof ZRotateClientSecret>;

export const ZRevokeClientSecret = z.strictObject({ applicationId: ZEntityId("Unknown application"), secretId: ZEntityId("Unknown secret") });

/** The settings a new sign-in client starts from: the database's defaults. */
export const DEFAULT_OIDC_SETTINGS = {
  clientType: "confidential",
  redirectUris: [] as string[],
  postLogoutRedirectUris: [] as string[],
  backchannelLogoutUri: null,
  firstParty: true,
  accessTokenTtlSeconds: 600,
  idTokenTtlSeconds: 600,
  refreshTokenTtlSeconds: 1_209_600,
  claimSets: ["profile", "email"] as TClaimSet[],
} as const;
