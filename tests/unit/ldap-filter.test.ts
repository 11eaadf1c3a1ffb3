import { describe, expect, it } from "vitest";
import { allOf, atLeast, equals, escapeFilterValue } from "@/server/directories/ldap-filter";
import { mapDirectoryEntry } from "@/server/directories/map-entry";
import { PRESETS } from "@/server/directories/attribute-mapping";
import type { Entry } from "ldapts";

describe("LDAP filters", () => {
  it("escapes every character that could change a filter's meaning (RFC 4515)", () => {
    expect(escapeFilterValue("*)(uid=*))(|(uid=*")).toBe("\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a");
    expect(escapeFilterValue("a\\b\u0000c")).toBe("a\\5cb\\00c");
    expect(escapeFilterValue("plain.name-1")).toBe("plain.name-1");
  });

  it("builds the incremental and lookup filters with escaped values", () => {
    expect(allOf("objectClass=inetOrgPerson", atLeast("modifyTimestamp", "20261204101010Z"))).toBe("(&(objectClass=inetOrgPerson)(modifyTimestamp>=20261204101010Z))");
    expect(allOf("(objectClass=user)", equals("sAMAccountName", "x*)(cn=*"))).toBe("(&(objectClass=user)(sAMAccountName=x\\2a\\29\\28cn=\\2a))");
    expect(allOf("(uid=a)")).toBe("(uid=a)");
  });

  it("takes the part before @ of a userPrincipalName when the mapping asks for it", () => {
    const mapping = { ...PRESETS.active_directory.mapping, username: "userPrincipalName", usernameFormat: "local_part" as const, entryIdFormat: "text" as const, entryId: "objectGUID" };
    const entry = { dn: "CN=Ada,DC=corp", objectGUID: "d6d4c1a3-7a1f-4c2b-9e4f-0123456789ab", userPrincipalName: "ada.lovelace@corp.example", givenName: "Ada", sn: "Lovelace", mail: "ada@corp.example" } as unknown as Entry;
    expect(mapDirectoryEntry(entry, mapping, { source: "none" }).values?.username).toBe("ada.lovelace");
  });
});
