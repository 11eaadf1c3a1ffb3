import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MemberProfile } from "@/components/members/member-profile";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { SPECIFICATION_FIELDS } from "../support/specification-fields";

// The member page shows every field of the specification's record, each
// under its name: the profile rendered from what members.get returns.

describe("the member page", () => {
  it("shows every field of the specification's record by its name", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createMember(tenant.id);
    const lockStart = new Date(Date.now() + 86_400_000);
    await db().user.update({ where: { id: member.id }, data: { lockStartAt: lockStart, avatarUrl: "https://example.test/face.png" } });
    const caller = createCaller(await createContextForSessionId(sessionId));
    const loaded = await caller.members.get({ memberId: member.id.toString() });

    const html = renderToStaticMarkup(createElement(MemberProfile, { member: loaded }));
    const shown = [...html.matchAll(/data-field="([^"]+)"/g)].map((match) => match[1]);
    expect(shown).toEqual(expect.arrayContaining([...SPECIFICATION_FIELDS]));
    expect(html).toMatch(/data-field="avatar"[^>]*>.*https:\/\/example\.test\/face\.png/);
    expect(html).toMatch(/<code[^>]*>lockStartDate<\/code>/);
  });
});
