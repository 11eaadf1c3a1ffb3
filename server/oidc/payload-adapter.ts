import { errors, type Adapter, type AdapterPayload } from "oidc-provider";
import type { TDatabase } from "@/server/db/client";
import { userIdOfSubject } from "@/server/oidc/issuer";

// oidc-provider's storage (its Adapter interface) on oidc_payloads, one
// organisation's rows per adapter. Nothing is kept in memory, so any web
// process can continue what another started. The columns beside the payload
// are read out of it (member, client, grant) so that revoking a member's access
// to an application is one indexed statement (server/oidc/revoke-*.ts).

/** Models whose rows are a member's credentials for one client: the ones a consumed row's replay revokes. */
const GRANT_BOUND_MODELS = new Set(["AuthorizationCode", "RefreshToken"]);

type TPayloadRow = { payload: AdapterPayload; consumed_at: Date | null };

function columnsOf(model: string, id: string, payload: AdapterPayload) {
  const accountId = typeof payload.accountId === "string" ? payload.accountId : null;
  return {
    grantId: model === "Grant" ? id : (payload.grantId ?? null),
    uid: payload.uid ?? null,
    userCode: payload.userCode ?? null,
    userId: accountId === null ? null : userIdOfSubject(accountId),
    // A session spans several clients (its `authorizations`): no single client id.
    clientId: model === "Session" ? null : (payload.clientId ?? null),
  };
}

/** PostgreSQL text and jsonb cannot hold NUL: an id with one was never stored, so it is simply not found. */
const storableKey = (key: string) => key.length <= 256 && !key.includes("\u0000");

/**
 * jsonb refuses an escaped NUL too. Only a forged request carries one (in a
 * state or nonce it asked to be kept); it is stored as U+FFFD instead of
 * failing the request.
 */
const storablePayload = (payload: AdapterPayload) => JSON.stringify(payload).replace(/\\u0000/g, "\\ufffd");

function withConsumed(row: TPayloadRow | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
}

export class PayloadAdapter implements Adapter {
  constructor(
    private readonly database: () => TDatabase,
    private readonly tenantId: bigint,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const columns = columnsOf(this.model, id, payload);
    const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await this.database().$executeRaw`
      INSERT INTO oidc_payloads (tenant_id, model, id, payload, grant_id, uid, user_code, user_id, client_id, expires_at)
      VALUES (${this.tenantId}, ${this.model}, ${id}, ${storablePayload(payload)}::jsonb, ${columns.grantId}, ${columns.uid},
              ${columns.userCode}, ${columns.userId}, ${columns.clientId}, ${expiresAt})
      ON CONFLICT (tenant_id, model, id) DO UPDATE SET
        payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid, user_code = EXCLUDED.user_code,
        user_id = EXCLUDED.user_id, client_id = EXCLUDED.client_id, expires_at = EXCLUDED.expires_at`;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (!storableKey(id)) return undefined;
    const rows = await this.database().$queryRaw<TPayloadRow[]>`
      SELECT payload, consumed_at FROM oidc_payloads
      WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND id = ${id} AND (expires_at IS NULL OR expires_at > now())`;
    return withConsumed(rows[0]);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    if (!storableKey(uid)) return undefined;
    const rows = await this.database().$queryRaw<TPayloadRow[]>`
      SELECT payload, consumed_at FROM oidc_payloads
      WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND uid = ${uid} AND (expires_at IS NULL OR expires_at > now())
      LIMIT 1`;
    return withConsumed(rows[0]);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    if (!storableKey(userCode)) return undefined;
    const rows = await this.database().$queryRaw<TPayloadRow[]>`
      SELECT payload, consumed_at FROM oidc_payloads
      WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND user_code = ${userCode} AND (expires_at IS NULL OR expires_at > now())
      LIMIT 1`;
    return withConsumed(rows[0]);
  }

  /**
   * oidc-provider reads a code (or a refresh token being rotated), sees it
   * unconsumed, then consumes it: two parallel exchanges would both pass its
   * check. Only the one whose UPDATE marks the row wins here; the other is a
   * replay, which revokes the whole grant as a sequential replay does.
   */
  async consume(id: string): Promise<void> {
    if (!storableKey(id)) throw new errors.InvalidGrant("unknown grant");
    const marked = await this.database().$executeRaw`
      UPDATE oidc_payloads SET consumed_at = now()
      WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND id = ${id} AND consumed_at IS NULL`;
    if (marked > 0 || !GRANT_BOUND_MODELS.has(this.model)) return;
    const [row] = await this.database().$queryRaw<{ grant_id: string | null }[]>`
      SELECT grant_id FROM oidc_payloads WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND id = ${id}`;
    // The whole grant, every model: tokens already issued from the replayed code (or refresh token) included.
    if (row?.grant_id) await this.database().$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${this.tenantId} AND grant_id = ${row.grant_id}`;
    throw new errors.InvalidGrant(`${this.model === "RefreshToken" ? "refresh token" : "authorization code"} already used`);
  }

  async destroy(id: string): Promise<void> {
    if (!storableKey(id)) return;
    await this.database().$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND id = ${id}`;
  }

  /** This model's rows of the grant: oidc-provider asks each model's adapter in turn, and destroys the Grant itself only when its policy says so. */
  async revokeByGrantId(grantId: string): Promise<void> {
    if (!storableKey(grantId)) return;
    await this.database().$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${this.tenantId} AND model = ${this.model} AND grant_id = ${grantId}`;
  }
}
