import { describe, expect, it } from "vitest";
import { splitDaysList } from "@/components/lifecycle/days-list";
import { splitMailLinks } from "@/components/lifecycle/mail-links";
import { chunk, mergePreviews, PREVIEW_DETAILED_MEMBERS } from "@/components/lifecycle/preview-chunks";
import { ZLifecycleSettingsInput } from "@/server/lifecycle/schemas";
import type { TOffboardingPreview } from "@/server/lifecycle/preview-offboarding";

const none = { applications: [], policies: [], roles: [], groups: [], departments: [] };

function previewOf(memberIds: string[], totals: Partial<TOffboardingPreview["totals"]>, refused: string[] = []): TOffboardingPreview {
  return {
    action: "disable",
    affected: memberIds.length,
    totals: { applications: 0, policies: 0, roles: 0, groups: 0, departments: 0, sessions: 0, ...totals },
    members: memberIds.map((memberId) => ({ memberId, username: `user-${memberId}`, removes: none, openSessions: 1 })),
    refused: refused.map((memberId) => ({ memberId, username: `user-${memberId}`, message: "You cannot change your own account's status" })),
  };
}

describe("a large selection's preview, asked in chunks", () => {
  it("splits the ids in order, the last chunk shorter", () => {
    expect(chunk(["1", "2", "3", "4", "5"], 2)).toEqual([["1", "2"], ["3", "4"], ["5"]]);
    expect(chunk([], 2)).toEqual([]);
  });

  it("adds the chunks' totals and refusals up, and lists the first members only", () => {
    const ids = Array.from({ length: 70 }, (_, index) => String(index + 1));
    const merged = mergePreviews([
      previewOf(ids.slice(0, 40), { applications: 3, sessions: 2 }, ["900"]),
      previewOf(ids.slice(40), { applications: 1, policies: 5, sessions: 7 }, ["901"]),
    ]);
    expect(merged.affected).toBe(70);
    expect(merged.totals).toEqual({ applications: 4, policies: 5, roles: 0, groups: 0, departments: 0, sessions: 9 });
    expect(merged.members).toHaveLength(PREVIEW_DETAILED_MEMBERS);
    expect(merged.members[0]?.memberId).toBe("1");
    expect(merged.refused.map((refusal) => refusal.memberId)).toEqual(["900", "901"]);
  });

  it("refuses to merge nothing", () => {
    expect(() => mergePreviews([])).toThrow();
  });
});

describe("outbox mail bodies", () => {
  it("picks out http(s) links, leaving a sentence's closing punctuation as text", () => {
    expect(splitMailLinks("Sign in at https://tenure.test/sign-in.\nThanks")).toEqual([
      { kind: "text", text: "Sign in at " },
      { kind: "link", href: "https://tenure.test/sign-in" },
      { kind: "text", text: ".\nThanks" },
    ]);
    expect(splitMailLinks("no links, javascript:alert(1) stays text")).toEqual([{ kind: "text", text: "no links, javascript:alert(1) stays text" }]);
  });
});

describe("password reminder days typed as a list", () => {
  it("becomes the schema's sorted, distinct whole days", () => {
    expect(splitDaysList(" 7, 14,1 , ")).toEqual(["7", "14", "1"]);
    expect(splitDaysList("")).toEqual([]);
    const parsed = ZLifecycleSettingsInput.parse({ deletionGraceDays: "30", passwordReminderDays: splitDaysList("7, 14, 7, 1") });
    expect(parsed).toEqual({ deletionGraceDays: 30, passwordReminderDays: [14, 7, 1] });
    expect(ZLifecycleSettingsInput.safeParse({ deletionGraceDays: 30, passwordReminderDays: splitDaysList("7, soon") }).success).toBe(false);
  });
});
