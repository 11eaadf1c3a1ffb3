import { FilterParser } from "ldapts";
import { describe, expect, it } from "vitest";
import { isDistinguishedName, isLdapUrl } from "@/server/directories/directory-schemas";
import { isLdapFilter } from "@/server/directories/ldap-filter";

// The settings form checks filters, DNs and addresses in the browser with our
// own pure checks; ldapts (server side) must read every filter we accept.

const GOOD_FILTERS = [
  "(objectClass=inetOrgPerson)",
  "(&(objectCategory=person)(objectClass=user))",
  "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
  "(!(uid=svc-*))",
  "(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
  "(cn=a\\2a*b*)",
  "(mail=*)",
  "(uSNChanged>=12345)",
  "(modifyTimestamp<=20260101000000Z)",
  "(cn~=ada)",
  "(:dn:2.4.8.10:=Dino)",
];
const BAD_FILTERS = ["", "objectClass=user", "(uid=a", "(uid=a))", "(&)", "(!(a=b)(c=d))", "(uid=a)(uid=b)", "(=a)", "(uid=a\\zz)", "(uid>=a*)", "((uid=a))", "(o;lang-en=Example)", `${"(&".repeat(40)}(a=b)${")".repeat(40)}`];

describe("directory settings checks", () => {
  it.each(GOOD_FILTERS)("accepts %s, and ldapts reads it too", (filter) => {
    expect(isLdapFilter(filter)).toBe(true);
    expect(() => FilterParser.parseString(filter)).not.toThrow();
  });

  it.each(BAD_FILTERS)("refuses %s", (filter) => {
    expect(isLdapFilter(filter)).toBe(false);
  });

  it("accepts LDAP addresses only, with a port in range", () => {
    for (const url of ["ldap://dc1.corp.example", "ldaps://dc1.corp.example:636", "ldap://127.0.0.1:389/", "ldap://[::1]:389"]) expect(isLdapUrl(url), url).toBe(true);
    for (const url of ["http://dc1", "ldap://", "ldap://host:0", "ldap://host:65536", "ldap://host/dc=x??sub", "ldap://user@host", "ldap://-host"]) expect(isLdapUrl(url), url).toBe(false);
  });

  it("accepts distinguished names with escapes and multi-valued RDNs", () => {
    for (const dn of ["dc=example,dc=org", "OU=Staff\\, London,DC=corp,DC=example", "cn=Ada+uid=ada,ou=people,dc=example,dc=org", "2.5.4.3=x,dc=y"]) expect(isDistinguishedName(dn), dn).toBe(true);
    for (const dn of ["example.org", "dc=example,", "=x,dc=y", "dc=example,,dc=org"]) expect(isDistinguishedName(dn), dn).toBe(false);
  });
});
