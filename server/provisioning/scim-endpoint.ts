import type { TDatabaseOrTransaction } from "@/server/db/client";
import { openValue, sealValue } from "@/server/shared/secret-box";
import { ZAttributeMapping, type TAttributeMapping, type TDeprovisionMode } from "@/server/provisioning/schemas";
import type { TScimEndpoint } from "@/server/provisioning/scim-client";
import type { TRateLimit } from "@/server/rate-limits/token-bucket";

// The bearer token is sealed under its own purpose label and bound to the
// application: a sealed token copied onto another application's row does not open.

const TOKEN_PURPOSE = "scim-bearer-token";
const boundTo = (applicationId: bigint) => `application_scim_settings:${applicationId}`;

export const sealScimToken = (applicationId: bigint, token: string) => sealValue(TOKEN_PURPOSE, boundTo(applicationId), token);

export type TLoadedScimSettings = {
  applicationId: bigint;
  tenantId: bigint;
  enabled: boolean;
  endpoint: TScimEndpoint;
  mapping: TAttributeMapping;
  deprovisionMode: TDeprovisionMode;
  pushGroups: boolean;
  /** What the application is sent at most (its own setting): a burst of `capacity`, then capacity per second. */
  rateLimit: TRateLimit;
  approvedAt: Date | null;
};

/** The settings row's columns, as Prisma reads them (the sync job reads them in its own joined query). */
export type TScimSettingsColumns = {
  tenantId: bigint;
  enabled: boolean;
  baseUrl: string;
  sealedToken: string;
  attributeMapping: unknown;
  deprovisionMode: string;
  pushGroups: boolean;
  rateLimitPerSecond: number;
  firstReconciliationApprovedAt: Date | null;
};

export function scimSettingsOf(applicationId: bigint, row: TScimSettingsColumns): TLoadedScimSettings {
  return {
    applicationId,
    tenantId: row.tenantId,
    enabled: row.enabled,
    endpoint: { baseUrl: row.baseUrl, token: openValue(TOKEN_PURPOSE, boundTo(applicationId), row.sealedToken) },
    // A mapping saved by an older version gets today's defaults for what it lacks.
    mapping: ZAttributeMapping.parse(row.attributeMapping ?? {}),
    deprovisionMode: row.deprovisionMode === "delete" ? "delete" : "deactivate",
    pushGroups: row.pushGroups,
    rateLimit: { capacity: row.rateLimitPerSecond, perSeconds: 1 },
    approvedAt: row.firstReconciliationApprovedAt,
  };
}

export async function loadScimSettings(db: TDatabaseOrTransaction, applicationId: bigint): Promise<TLoadedScimSettings | null> {
  const row = await db.applicationScimSettings.findUnique({ where: { applicationId } });
  return row ? scimSettingsOf(applicationId, row) : null;
}
