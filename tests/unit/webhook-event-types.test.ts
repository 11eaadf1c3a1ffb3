import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/server/audit/audit-actions";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_RULES, WEBHOOK_SECRET_FIELD_PATTERN, WEBHOOK_TEST_EVENT_TYPE, WEBHOOK_VALUE_FIELDS } from "@/server/audit/webhook-event-types";

// The webhook catalogue is a contract with other systems (issue 15, item 6):
// every audit action it maps exists, every public type comes from somewhere
// and is documented in the README, and no field a payload carries by value
// can be a secret.

const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");
const webhooksSection = readme.split(/^## /m).find((section) => section.startsWith("Webhooks\n")) ?? "";

describe("the webhook event catalogue", () => {
  it("maps only audit actions that exist", () => {
    const known = new Set<string>(AUDIT_ACTIONS);
    expect(Object.keys(WEBHOOK_RULES).filter((action) => !known.has(action))).toEqual([]);
  });

  it("makes every public type from an audit action, except alert.raised (the alert job sends it)", () => {
    const made = new Set(Object.values(WEBHOOK_RULES).flatMap((rules) => rules.map((rule) => rule.type)));
    expect(Object.keys(WEBHOOK_EVENT_TYPES).filter((type) => !made.has(type as never))).toEqual(["alert.raised"]);
  });

  it("documents every type, and the test event, in the README's Webhooks section", () => {
    expect(webhooksSection.length).toBeGreaterThan(500);
    for (const type of [...Object.keys(WEBHOOK_EVENT_TYPES), WEBHOOK_TEST_EVENT_TYPE]) expect(webhooksSection, type).toContain(`| \`${type}\` |`);
  });

  it("carries no secret-looking field by value, and the pattern catches the secrets Tenure holds", () => {
    const secretLike = new RegExp(WEBHOOK_SECRET_FIELD_PATTERN, "i");
    expect(WEBHOOK_VALUE_FIELDS.filter((field) => secretLike.test(field))).toEqual([]);
    for (const field of ["passwordHash", "passwordExpiresAt", "mfaSecret", "totpSecret", "recoveryCodes", "invitationLink", "bindPassword", "tokenHash", "clientSecret"]) {
      expect(secretLike.test(field), field).toBe(true);
    }
  });
});
