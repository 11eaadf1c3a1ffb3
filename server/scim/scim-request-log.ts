import type { TDatabase } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";
import { printableText } from "@/server/validation/text";

// The console's "recent requests" per token: method, resource, outcome; never
// a body or a header. The last KEEP_PER_TOKEN per token are kept: trimmed on
// about one insert in TRIM_EVERY, so a busy sync does not pay a delete per request.

export const KEEP_PER_TOKEN = 1_000;
const TRIM_EVERY = 50;

export type TScimRequestRecord = {
  tenantId: bigint;
  apiTokenId: bigint;
  method: string;
  resourceType: string;
  resourceId: string | null;
  status: number;
  scimType: string | null;
  detail: string | null;
};

const logText = (value: string | null, length: number) => (value === null ? null : printableText(value).slice(0, length));

export async function recordScimRequest(db: TDatabase, record: TScimRequestRecord): Promise<void> {
  // Ids and details come from the request (a path may carry a NUL byte, which PostgreSQL text refuses).
  const [row] = await queryPrepared<{ id: bigint }>(Prisma.sql`
    INSERT INTO scim_requests (tenant_id, api_token_id, method, resource_type, resource_id, status, scim_type, detail)
    VALUES (${record.tenantId}, ${record.apiTokenId}, ${record.method}, ${record.resourceType}, ${logText(record.resourceId, 40)}, ${record.status}::int,
            ${record.scimType}, ${logText(record.detail, 300)})
    RETURNING id`);
  if (row && row.id % BigInt(TRIM_EVERY) === 0n) {
    await db.$executeRaw`
      DELETE FROM scim_requests WHERE api_token_id = ${record.apiTokenId} AND id < (
        SELECT id FROM scim_requests WHERE api_token_id = ${record.apiTokenId} ORDER BY id DESC OFFSET ${KEEP_PER_TOKEN - 1} LIMIT 1)`;
  }
}
