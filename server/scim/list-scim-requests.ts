import type { TDatabase } from "@/server/db/client";
import { ZScimRequestsQuery } from "@/server/scim/scim-schemas";
import type { z } from "zod";

// Settings → Provisioning: each SCIM token with its recent requests, errors first.

const SHOWN_PER_TOKEN = 50;

export async function listScimRequests(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZScimRequestsQuery>) {
  const input = ZScimRequestsQuery.parse(rawInput);
  const tokens = await db.apiToken.findMany({
    where: { tenantId, scopes: { has: "scim" }, ...(input.tokenId ? { id: BigInt(input.tokenId) } : {}) },
    orderBy: { id: "desc" },
    select: { id: true, name: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
    take: 50,
  });
  return Promise.all(
    tokens.map(async (token) => {
      const requests = await db.$queryRaw<{ id: bigint; method: string; resource_type: string; resource_id: string | null; status: number; scim_type: string | null; detail: string | null; created_at: Date }[]>`
        SELECT * FROM (
          SELECT id, method, resource_type, resource_id, status, scim_type, detail, created_at FROM scim_requests
          WHERE api_token_id = ${token.id} AND tenant_id = ${tenantId} ORDER BY id DESC LIMIT ${SHOWN_PER_TOKEN}) recent
        ORDER BY (status >= 400) DESC, id DESC`;
      return {
        id: token.id.toString(),
        name: token.name,
        live: !token.revokedAt && token.expiresAt > new Date(),
        lastUsedAt: token.lastUsedAt,
        errors: requests.filter((request) => request.status >= 400).length,
        requests: requests.map((request) => ({
          id: request.id.toString(),
          method: request.method,
          resourceType: request.resource_type,
          resourceId: request.resource_id,
          status: request.status,
          scimType: request.scim_type,
          detail: request.detail,
          at: request.created_at,
        })),
      };
    }),
  );
}
