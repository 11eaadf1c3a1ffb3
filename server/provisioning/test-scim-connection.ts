import type { TDatabase } from "@/server/db/client";
import { ConflictError, NotFoundError } from "@/server/errors";
import { takeToken } from "@/server/rate-limits/token-bucket";
import { ZApplicationRef } from "@/server/provisioning/schemas";
import { findOwnApplication } from "@/server/provisioning/manage-scim-settings";
import { loadScimSettings } from "@/server/provisioning/scim-endpoint";
import { scimRequest, ScimError } from "@/server/provisioning/scim-client";
import type { z } from "zod";

// "Test connection": reads the peer's ServiceProviderConfig with the saved
// URL and token (RFC 7644 section 4). A failure is an answer, not an error.
// It makes the server call an address an owner chose: an organisation gets
// a few a minute however many admins click.

export const SCIM_PROBE_LIMIT = { capacity: 10, perSeconds: 60 } as const;
export const SCIM_PROBE_LIMIT_MESSAGE = `At most ${SCIM_PROBE_LIMIT.capacity} connection tests a minute: try again in a minute`;

export type TScimConnectionResult = { ok: boolean; message: string; patch: boolean | null; filter: boolean | null };

export async function testScimConnection(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZApplicationRef>): Promise<TScimConnectionResult> {
  const input = ZApplicationRef.parse(rawInput);
  const application = await findOwnApplication(db, tenantId, input.applicationId);
  const settings = await loadScimSettings(db, application.id);
  if (!settings) throw new NotFoundError("Save the application's SCIM endpoint first");
  const taken = await takeToken(db, `scim-probe:${tenantId}`, SCIM_PROBE_LIMIT);
  if (!taken.allowed) throw new ConflictError(SCIM_PROBE_LIMIT_MESSAGE);
  try {
    const { body } = await scimRequest(settings.endpoint, "GET", "/ServiceProviderConfig");
    const config = (typeof body === "object" && body !== null ? body : {}) as { patch?: { supported?: unknown }; filter?: { supported?: unknown } };
    const patch = typeof config.patch?.supported === "boolean" ? config.patch.supported : null;
    const filter = typeof config.filter?.supported === "boolean" ? config.filter.supported : null;
    const missing = [patch === false ? "PATCH" : null, filter === false ? "filtering" : null].filter(Boolean);
    return {
      ok: missing.length === 0,
      message: missing.length === 0 ? "Connected: the application answers as a SCIM 2.0 service provider." : `Connected, but the application does not support ${missing.join(" or ")}, which provisioning needs.`,
      patch,
      filter,
    };
  } catch (error) {
    if (error instanceof ScimError) return { ok: false, message: error.status === 401 || error.status === 403 ? `The application refused the token (${error.message})` : error.message, patch: null, filter: null };
    if (error instanceof Error && "fieldErrors" in error) return { ok: false, message: error.message, patch: null, filter: null };
    throw error;
  }
}
