import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { zLine, zSecret } from "@/server/validation/text";

const ZId = ZEntityId("Unknown application");

// Inputs of Settings → Provisioning (SCIM), shared by the form and the procedures.

export const DEPROVISION_MODES = ["deactivate", "delete"] as const;
export type TDeprovisionMode = (typeof DEPROVISION_MODES)[number];

/** Where the SCIM userName comes from. */
export const USER_NAME_SOURCES = ["username", "email"] as const;

export const PROVISIONING_STATUSES = ["pending", "provisioned", "deactivated", "failed", "deleted"] as const;
export type TProvisioningStatus = (typeof PROVISIONING_STATUSES)[number];

/**
 * Which of the member record's fields are sent (core User and the enterprise
 * extension). externalId (the member id) and active are always sent: the first
 * is how accounts are matched, the second is how they are closed.
 */
export const ZAttributeMapping = z
  .object({
    userName: z.enum(USER_NAME_SOURCES).default("username"),
    name: z.boolean().default(true),
    emails: z.boolean().default(true),
    phoneNumbers: z.boolean().default(true),
    title: z.boolean().default(true),
    department: z.boolean().default(true),
    manager: z.boolean().default(true),
  })
  .strict();
export type TAttributeMapping = z.infer<typeof ZAttributeMapping>;
export const DEFAULT_ATTRIBUTE_MAPPING: TAttributeMapping = ZAttributeMapping.parse({});

/** The peer's base URL: the form checks its shape; the server also checks where it resolves (scim-url.ts). */
export const ZScimBaseUrl = zLine()
  .min(1, "Enter the application's SCIM base URL")
  .max(2000, "At most 2,000 characters")
  .refine((value) => URL.canParse(value), "Enter a full URL, such as https://app.example.com/scim/v2");

/** What Tenure sends an application at most, per second (a burst of as many, then that steady rate). */
export const SCIM_RATE_LIMIT = { default: 200, min: 1, max: 1000 } as const;
const rateLimitMessage = `A whole number from ${SCIM_RATE_LIMIT.min} to ${SCIM_RATE_LIMIT.max.toLocaleString("en")}`;
export const ZScimRateLimit = z
  .number({ error: rateLimitMessage })
  .int(rateLimitMessage)
  .min(SCIM_RATE_LIMIT.min, rateLimitMessage)
  .max(SCIM_RATE_LIMIT.max, rateLimitMessage);

export const ZApplicationRef = z.object({ applicationId: ZId }).strict();

export const ZScimSettingsInput = z
  .object({
    applicationId: ZId,
    baseUrl: ZScimBaseUrl,
    /** Required the first time; empty keeps the stored token (it is never shown again). */
    token: zSecret().max(4000, "At most 4,000 characters").optional(),
    deprovisionMode: z.enum(DEPROVISION_MODES).default("deactivate"),
    pushGroups: z.boolean().default(false),
    rateLimitPerSecond: ZScimRateLimit.default(SCIM_RATE_LIMIT.default),
    attributeMapping: ZAttributeMapping.default(DEFAULT_ATTRIBUTE_MAPPING),
  })
  .strict();
export type TScimSettingsInput = z.input<typeof ZScimSettingsInput>;

export const ZDeadLetterRetry = z.object({ applicationId: ZId, deadLetterId: ZEntityId("Unknown failure") }).strict();
export const ZReconciliationRef = z.object({ applicationId: ZId, reconciliationId: ZEntityId("Unknown reconciliation") }).strict();
export const ZMemberProvisioningRef = z.object({ memberId: ZEntityId("Unknown member") }).strict();
export const ZStartReconciliation = z.object({ applicationId: ZId, dryRun: z.boolean().default(true) }).strict();
