import { describe, expect, it } from "vitest";
import { GET as exportGet } from "@/app/api/members/export/route";
import { db } from "@/server/db/client";
import { signInNotice } from "@/server/auth/sign-in-notices";
import { EXPORT_COLUMNS } from "@/server/members/export-members";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";
import { SPECIFICATION_FIELDS } from "../support/specification-fields";

const exportAs = async (cookie: string | null, query = "") =>
  exportGet(new Request(`http://localhost:3000/api/members/export${query}`, { headers: cookie ? { cookie } : {} }));

async function adminCookie() {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id, { role: "admin", fullName: "Admin Person" });
  return { tenant, admin: member, cookie: await sessionCookieFor(sessionId) };
}

/** Minimal RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      row.push(cell);
      cell = "";
    } else if (character === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += character;
  }
  return rows;
}

describe("exporting members", () => {
  it("carries every field of the specification's record under its name, with its value", async () => {
    const { tenant, cookie } = await adminCookie();
    const member = await createMember(tenant.id, { username: "whole" });
    const department = await db().department.create({ data: { tenantId: tenant.id, name: "Sales" } });
    await db().departmentMember.create({ data: { departmentId: department.id, userId: member.id, isHead: true } });
    const lockStart = new Date("2030-01-02T03:04:05.000Z");
    const expiry = new Date("2020-01-01T00:00:00.000Z");
    await db().user.update({
      where: { id: member.id },
      data: { mainDepartmentId: department.id, lockStartAt: lockStart, lockEndAt: new Date("2030-02-01T00:00:00.000Z"), passwordExpiresAt: expiry, avatarUrl: "https://example.test/whole.png" },
    });
    const response = await exportAs(cookie, "?format=json");
    const rows = (await response.json()) as Record<string, unknown>[];
    const row = rows.find((candidate) => candidate.username === "whole")!;
    expect(Object.keys(row)).toEqual(expect.arrayContaining([...SPECIFICATION_FIELDS]));
    expect(row).toMatchObject({
      deptHead: true,
      lockStartDate: lockStart.toISOString(),
      lockEndDate: "2030-02-01T00:00:00.000Z",
      passwordExpired: true,
      passwordExpiredDate: expiry.toISOString(),
      avatar: "https://example.test/whole.png",
      deleted: false,
      tenantName: tenant.name,
    });
  });

  it("tells an admin disabled while the page is open what the sign-in page tells them", async () => {
    const { admin, cookie } = await adminCookie();
    await db().user.update({ where: { id: admin.id }, data: { state: "disabled" } });
    const refused = await exportAs(cookie);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: signInNotice("account_blocked")?.text });
  });

  it("refuses signed-out callers and members who are not admins", async () => {
    expect((await exportAs(null)).status).toBe(401);
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id, { role: "member" });
    expect((await exportAs(await sessionCookieFor(sessionId))).status).toBe(403);
  });

  it("streams the current filter as spreadsheet-safe CSV with the specification's column names, and logs the export", async () => {
    const { tenant, admin, cookie } = await adminCookie();
    await createMember(tenant.id, { fullName: "Quote, \"Q\" Person", username: "quoted" });
    const risky = await createMember(tenant.id, { fullName: "Formula Person", username: "formula" });
    await db().user.update({ where: { id: risky.id }, data: { title: "=HYPERLINK(\"http://evil\")" } });
    await createMember(tenant.id, { fullName: "Locked Person", username: "locked", locked: true });

    const response = await exportAs(cookie, "?status=active");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename="members-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 BOM spreadsheets look for
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const byUsername = new Map(rows.map((row) => [row[1], row]));
    expect([...byUsername.keys()].sort()).toEqual([admin.username, "formula", "quoted"].sort());
    expect(byUsername.get("quoted")![4]).toBe('Quote, "Q" Person');
    expect(byUsername.get("formula")![11]).toBe("'=HYPERLINK(\"http://evil\")");
    expect(byUsername.get("formula")![6]).toMatch(/^\+44\d{10}$/); // a phone number needs no guard

    const [event] = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: "members.exported" } });
    expect(event).toMatchObject({ actorId: admin.id });
    expect(event!.changes).toEqual({ export: { before: null, after: { format: "csv", status: "active", searched: false } } });
  });

  it("exports JSON, page after page, without missing or repeating anyone", async () => {
    const { tenant, cookie } = await adminCookie();
    await db().$executeRaw`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile)
      SELECT ${tenant.id}, 'bulk' || n, 'bulk' || n || '@example.test', 'Bulk', n::text, 'Bulk ' || n, '+1555' || lpad(n::text, 8, '0')
      FROM generate_series(1, 2500) AS n`;
    const response = await exportAs(cookie, "?format=json&q=bulk");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const rows = (await response.json()) as { username: string; sysAdmin: number; enabled: boolean }[];
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((row) => row.username)).size).toBe(2500);
    expect(rows[0]).toMatchObject({ sysAdmin: 0, enabled: true });
  });

  it("refuses a malformed filter", async () => {
    const { cookie } = await adminCookie();
    expect((await exportAs(cookie, "?format=xlsx")).status).toBe(400);
    expect((await exportAs(cookie, "?status=sleeping")).status).toBe(400);
  });
});
