import { describe, expect, it } from "vitest";
import type { Entry } from "ldapts";
import { PRESETS, managedFields, requestedAttributes } from "@/server/directories/attribute-mapping";
import { departmentPathFromDn, guidFromBytes, mapDirectoryEntry, splitDn } from "@/server/directories/map-entry";

// Active Directory's shapes (binary objectGUID, userAccountControl, uSNChanged)
// without an AD: entries as ldapts returns them when objectGUID is asked as a buffer.

const AD = PRESETS.active_directory.mapping;
const OPENLDAP = PRESETS.openldap.mapping;
// The GUID AD shows as {d6d4c1a3-7a1f-4c2b-9e4f-0123456789ab}, as its bytes on the wire.
const GUID_BYTES = Buffer.from("a3c1d4d61f7a2b4c9e4f0123456789ab", "hex");

function adEntry(overrides: Record<string, string | Buffer | string[]> = {}): Entry {
  return {
    dn: "CN=Ada Lovelace,OU=Platform,OU=Engineering,OU=Staff,DC=corp,DC=example",
    objectGUID: GUID_BYTES,
    sAMAccountName: "ada.lovelace",
    mail: "ada@corp.example",
    givenName: "Ada",
    sn: "Lovelace",
    displayName: "Ada Lovelace",
    userAccountControl: "512",
    uSNChanged: "123456",
    department: "Platform",
    ...overrides,
  };
}

describe("directory entry mapping", () => {
  it("reads objectGUID's mixed-endian bytes as the GUID AD shows", () => {
    expect(guidFromBytes(GUID_BYTES)).toBe("d6d4c1a3-7a1f-4c2b-9e4f-0123456789ab");
    expect(guidFromBytes(Buffer.from("abcd", "hex"))).toBeNull();
  });

  it("maps an Active Directory user with its id, change mark and attribute department", () => {
    const mapped = mapDirectoryEntry(adEntry(), AD, { source: "attribute", attribute: "department" });
    expect(mapped.problems).toEqual([]);
    expect(mapped).toMatchObject({
      entryId: "d6d4c1a3-7a1f-4c2b-9e4f-0123456789ab",
      disabled: false,
      changeMark: "123456",
      departmentPath: ["Platform"],
      values: { username: "ada.lovelace", email: "ada@corp.example", firstName: "Ada", lastName: "Lovelace", fullName: "Ada Lovelace" },
    });
  });

  it("reads userAccountControl's ACCOUNTDISABLE bit (0x2) among other flags", () => {
    expect(mapDirectoryEntry(adEntry({ userAccountControl: "514" }), AD, { source: "none" }).disabled).toBe(true);
    expect(mapDirectoryEntry(adEntry({ userAccountControl: "66050" }), AD, { source: "none" }).disabled).toBe(true);
    expect(mapDirectoryEntry(adEntry({ userAccountControl: "66048" }), AD, { source: "none" }).disabled).toBe(false);
  });

  it("takes departments from the OU path below the base DN, top down, escapes undone", () => {
    expect(departmentPathFromDn("CN=Ada,OU=Platform,OU=Engineering,OU=Staff,DC=corp,DC=example", "OU=Staff,DC=corp,DC=example")).toEqual(["Engineering", "Platform"]);
    expect(departmentPathFromDn("uid=x,ou=R\\2CD,ou=people,dc=example,dc=org", "ou=people,dc=example,dc=org")).toEqual(["R,D"]);
    expect(departmentPathFromDn("uid=x,ou=people,dc=example,dc=org", "ou=people,dc=example,dc=org")).toEqual([]);
    expect(splitDn("cn=Smith\\, John,ou=a,dc=b")).toEqual(["cn=Smith\\, John", "ou=a", "dc=b"]);
  });

  it("refuses an entry without a stable id and names every field Tenure's rules refuse", () => {
    const mapped = mapDirectoryEntry(adEntry({ objectGUID: Buffer.from("00", "hex"), sAMAccountName: "ada lovelace", mail: "not-an-email" }), AD, { source: "none" });
    expect(mapped.values).toBeNull();
    expect(mapped.problems.map((problem) => problem.field)).toEqual([null, "username", "email"]);
  });

  it("matches attribute names without case, as LDAP does, and an OpenLDAP lock as disabled", () => {
    const entry = { dn: "uid=grace,ou=people,dc=example,dc=org", entryuuid: "1B4E28BA-2FA1-11D2-883F-0016D3CCA427", UID: "grace", mail: "grace@example.org", givenname: "Grace", SN: "Hopper", pwdAccountLockedTime: "000001010000Z" } as unknown as Entry;
    const mapped = mapDirectoryEntry(entry, OPENLDAP, { source: "ou_path", baseDn: "ou=people,dc=example,dc=org" });
    expect(mapped).toMatchObject({ entryId: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", disabled: true, departmentPath: [], values: { username: "grace", lastName: "Hopper" } });
  });

  it("asks the directory for exactly the mapped attributes", () => {
    expect(requestedAttributes(AD, "department")).toEqual(["objectGUID", "uSNChanged", "sAMAccountName", "mail", "givenName", "sn", "displayName", "mobile", "title", "telephoneNumber", "streetAddress", "c", "userAccountControl", "department"]);
    expect(managedFields(OPENLDAP)).not.toContain("country");
  });
});
