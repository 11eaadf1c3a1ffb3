import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTE_MAPPING } from "@/server/provisioning/schemas";
import { clearedPaths, ENTERPRISE_USER_SCHEMA, replacePatch, scimUserOf, type TScimMember } from "@/server/provisioning/scim-user";

// A PATCH sends what the member has and removes what they no longer have, for
// the mapped attributes only: an attribute the admin chose not to send is
// never touched at the application.

const member: TScimMember = {
  id: 7n, username: "ada", email: "ada@example.org", firstName: "Ada", lastName: "Lovelace", fullName: "Ada Lovelace",
  mobile: "+447700900123", landline: null, title: "Engineer", departmentName: "Research", managerRemoteId: "boss-1",
};

describe("the PATCH of an existing account", () => {
  it("removes nothing while every mapped attribute has a value", () => {
    const user = scimUserOf(member, DEFAULT_ATTRIBUTE_MAPPING);
    expect(clearedPaths(user, DEFAULT_ATTRIBUTE_MAPPING)).toEqual([]);
    expect(replacePatch(user).Operations).toEqual([{ op: "replace", value: expect.objectContaining({ title: "Engineer" }) as unknown }]);
  });

  it("removes each cleared attribute, the enterprise ones by their full path", () => {
    const cleared = { ...member, email: null, mobile: null, title: null, departmentName: null, managerRemoteId: null };
    const user = scimUserOf(cleared, DEFAULT_ATTRIBUTE_MAPPING);
    const paths = clearedPaths(user, DEFAULT_ATTRIBUTE_MAPPING);
    expect(paths).toEqual(["emails", "phoneNumbers", "title", `${ENTERPRISE_USER_SCHEMA}:department`, `${ENTERPRISE_USER_SCHEMA}:manager`]);
    const operations = replacePatch(user, paths).Operations;
    expect(operations[0]).toMatchObject({ op: "replace" });
    expect(operations.slice(1)).toEqual(paths.map((path) => ({ op: "remove", path })));
  });

  it("leaves alone what the mapping does not send", () => {
    const mapping = { ...DEFAULT_ATTRIBUTE_MAPPING, title: false, manager: false };
    const user = scimUserOf({ ...member, title: null, managerRemoteId: null }, mapping);
    expect(clearedPaths(user, mapping)).toEqual([]);
  });
});
