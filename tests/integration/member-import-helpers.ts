import { runOnce } from "graphile-worker";
import { POST as importPost } from "@/app/api/imports/route";
import { GET as reportGet } from "@/app/api/imports/[importId]/report/route";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import type { TImportSummary } from "@/server/imports/get-import";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { taskList } from "@/workers/task-list";
import { createSignedInMember } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";

// What the member-import tests share: an administrator with a cookie (for the
// route handlers) and a caller (for the procedures), uploads through the real
// POST handler, and the real job runner.

export type TUploadedSummary = Omit<TImportSummary, "createdAt" | "validatedAt" | "finishedAt" | "rowsPurgedAt"> & { rowsPurgedAt: string | null };

export async function adminOf(tenantId: bigint, role: "admin" | "owner" = "admin") {
  const { member, sessionId } = await createSignedInMember(tenantId, { role });
  return { member, cookie: await sessionCookieFor(sessionId), caller: createCaller(await createContextForSessionId(sessionId)) };
}

/** The dry run, as the console's upload sends it: the file as the body of POST /api/imports. */
export async function upload(cookie: string, content: BodyInit, fileName = "members.csv", headers: Record<string, string> = {}) {
  const response = await importPost(
    new Request(`http://localhost:3000/api/imports?fileName=${encodeURIComponent(fileName)}`, { method: "POST", body: content, headers: { ...headers, cookie } }),
  );
  return { status: response.status, summary: (await response.json()) as TUploadedSummary };
}

export async function report(cookie: string, importId: string, query = "") {
  const response = await reportGet(new Request(`http://localhost:3000/api/imports/${importId}/report${query}`, { headers: { cookie } }), {
    params: Promise.resolve({ importId }),
  });
  return { status: response.status, text: response.status === 200 ? await response.text() : "" };
}

/** Report lines without the BOM and header, split into cells (the tests' values have no commas or quotes). */
export const reportRows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n")
    .slice(1)
    .map((line) => line.split(","));

/** Runs every due job with the real task list (the apply job and its continuations), then returns. */
export const runDueJobs = () => runOnce({ connectionString: serverEnv().DATABASE_URL, taskList });

export const csv = (rows: readonly (readonly string[])[]) => rows.map((row) => row.join(",")).join("\n");

export const HEADER = ["username", "firstName", "lastName", "email", "mobile", "country"] as const;

/** A valid CSV row for a new member, unique by `n` (UK mobiles in the 07400 range). */
export const memberRow = (username: string, n: number) => [username, "Ada", `Row${n}`, `${username}@import.test`, `+44740055${String(n).padStart(4, "0")}`, "GB"];

export const membersOf = (tenantId: bigint) =>
  db().user.findMany({ where: { tenantId }, orderBy: { id: "asc" }, select: { id: true, username: true, email: true, title: true, source: true, sysAdmin: true, mobile: true } });
