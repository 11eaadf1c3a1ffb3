import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AccessReceipt, type TReceipt } from "@/components/lifecycle/access-receipt";
import { timeToZeroAccessMs, type TReceiptApplications } from "@/server/application-sessions/receipt-applications";

// The access receipt names each application the member was signed in to and
// how its back-channel logout went; its time to zero access lasts until the
// last application confirmed.

const committedAt = new Date("2026-12-04T10:00:00.000Z");
/** Tenure's own proof: sessions unusable 4 ms after the commit returned (at 10:00:00.100). */
const proven = { committedAt, zeroAccessAt: new Date("2026-12-04T10:00:00.104Z"), zeroAccessMs: 4 };
const delivered = (at: string, httpStatus = 200) => ({ status: "delivered" as const, attempts: 1, httpStatus, error: null, deliveredAt: new Date(at) });

function receipt(applications: TReceiptApplications, zero: { zeroAccessMs: number | null } = proven): TReceipt {
  return {
    id: "1",
    action: "disable",
    committedAt,
    actorName: "Ada Admin",
    revoked: {},
    sessionsEnded: 1,
    zeroAccessAt: null,
    zeroAccessMs: zero.zeroAccessMs,
    applications: applications.applications,
    applicationLogoutsPending: applications.pending,
    applicationLogoutsFailed: applications.failed,
    accounts: [],
    accountsPending: 0,
    accountsFailed: 0,
    timeToZeroAccessMs: timeToZeroAccessMs({ ...proven, ...zero }, applications),
  };
}

const render = (value: TReceipt) => renderToStaticMarkup(createElement(AccessReceipt, { receipt: value })).replace(/<[^>]+>/g, "");

describe("the access receipt's applications", () => {
  it("lists tokens revoked and each delivered logout, and times zero access to the last confirmation", () => {
    const applications: TReceiptApplications = {
      applications: [
        { applicationId: "1", name: "Payroll", tokensRevoked: 3, logouts: [delivered("2026-12-04T10:00:00.350Z")] },
        { applicationId: "2", name: "Wiki", tokensRevoked: 1, logouts: [] },
      ],
      pending: 0,
      failed: 0,
      lastConfirmedAt: new Date("2026-12-04T10:00:00.350Z"),
    };
    const text = render(receipt(applications));
    expect(text).toContain("Payroll: 3 tokens revoked; logout delivered");
    expect(text).toContain("(HTTP 200)");
    expect(text).toContain("Wiki: 1 token revoked; no back-channel logout to send");
    // 250 ms after the commit returned, not Tenure's own 4 ms.
    expect(timeToZeroAccessMs(proven, applications)).toBe(250);
  });

  it("waits for a logout being retried, and says so when one was given up on", () => {
    const retrying: TReceiptApplications = {
      applications: [{ applicationId: "1", name: "Payroll", tokensRevoked: 2, logouts: [{ status: "pending", attempts: 2, httpStatus: 503, error: "HTTP 503 Service Unavailable", deliveredAt: null }] }],
      pending: 1,
      failed: 0,
      lastConfirmedAt: null,
    };
    const waiting = render(receipt(retrying));
    expect(waiting).toContain("logout pending (retrying after 2 attempts; last: HTTP 503 Service Unavailable)");
    expect(waiting).toContain("waiting for 1 application logout(s) to be confirmed");
    expect(timeToZeroAccessMs(proven, retrying)).toBeNull();

    const failed = { ...retrying, pending: 0, failed: 1, applications: [{ ...retrying.applications[0]!, logouts: [{ ...retrying.applications[0]!.logouts[0]!, status: "failed" as const, attempts: 13 }] }] };
    const givenUp = render(receipt(failed));
    expect(givenUp).toContain("logout not delivered after 13 attempts");
    expect(givenUp).toContain("not confirmed: 1 application logout(s) could not be delivered");
  });

  it("without applications reads as before: Tenure's own time", () => {
    const none: TReceiptApplications = { applications: [], pending: 0, failed: 0, lastConfirmedAt: null };
    expect(timeToZeroAccessMs(proven, none)).toBe(4);
    expect(render(receipt(none))).toContain("none signed in");
    expect(timeToZeroAccessMs({ ...proven, zeroAccessMs: null }, none)).toBeNull();
  });

  it("lists each provisioned account: closed and when, closing with the peer's error, failed, or left open", () => {
    const none: TReceiptApplications = { applications: [], pending: 0, failed: 0, lastConfirmedAt: null };
    const value: TReceipt = {
      ...receipt(none),
      accounts: [
        { applicationId: "1", applicationName: "Payroll", status: "deactivated", closedAt: new Date("2026-12-04T10:00:01.000Z"), error: null },
        { applicationId: "2", applicationName: "Wiki", status: "pending", closedAt: null, error: "HTTP 503: down" },
      ],
      accountsPending: 1,
      timeToZeroAccessMs: null,
    };
    const text = render(value);
    expect(text).toContain("Payroll: deactivated");
    expect(text).toContain("Wiki: closing pending, retrying (HTTP 503: down)");
    expect(text).toContain("waiting for 1 application account(s) to be closed");

    const failed = render({ ...value, accounts: [{ ...value.accounts[1]!, status: "failed", error: "HTTP 400: bad" }], accountsPending: 0, accountsFailed: 1 });
    expect(failed).toContain("Wiki: not closed: failed (HTTP 400: bad)");
    expect(failed).toContain("not reached: 1 application account(s) could not be closed");
    expect(render(receipt(none))).toContain("none provisioned");
  });
});
