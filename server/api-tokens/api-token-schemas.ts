import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

// API tokens' inputs, shared by the settings form and the procedures. Pure:
// client components import it.

/** What a token may call: `scim` the SCIM 2.0 endpoints; the directory scopes are for the REST API to come. */
export const API_TOKEN_SCOPES = ["scim", "directory:read", "directory:write"] as const;
export type TApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_SCOPE_LABELS: Record<TApiTokenScope, string> = {
  scim: "SCIM provisioning: create, change, disable and delete members and groups",
  "directory:read": "Directory, read-only (reserved for the REST API)",
  "directory:write": "Directory, read and write (reserved for the REST API)",
};

export const DEFAULT_TOKEN_DAYS = 365;
export const MAX_TOKEN_DAYS = 730;

export const ZApiTokenCreate = z.strictObject({
  name: zLine().min(1, "Name the token after what uses it, such as Workday").max(100, "At most 100 characters"),
  scopes: z
    .array(z.enum(API_TOKEN_SCOPES))
    .min(1, "Choose at least one scope")
    .max(API_TOKEN_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, "Each scope once"),
  expiresInDays: z
    .number({ error: "Choose when the token expires" })
    .int("Whole days")
    .min(1, "At least 1 day")
    .max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days (two years)`),
});
export type TApiTokenCreate = z.infer<typeof ZApiTokenCreate>;

export const ZApiTokenId = z.strictObject({ tokenId: ZEntityId("Unknown API token") });
