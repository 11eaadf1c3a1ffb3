import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organisationalUnit, person, startSlapd, type TSlapd } from "@/tests/support/slapd";
import { DirectoryConnectionError, searchPages, verifyByBind, withDirectoryConnection } from "@/server/directories/ldap-connection";
import { PRESETS, requestedAttributes } from "@/server/directories/attribute-mapping";

// The connection layer against a real slapd: TLS verified against the
// directory's CA (never unverified), StartTLS, refused binds, an absent server,
// and paged searches that hold one page at a time.

let slapd: TSlapd;
const PEOPLE = 1_234;

beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
  await slapd.add([organisationalUnit(slapd.suffix, "people")]);
  await slapd.add(Array.from({ length: PEOPLE }, (_, n) => person(slapd.suffix, `user${n}`, { password: n === 0 ? "first-password" : undefined })));
}, 120_000);
afterAll(async () => slapd.stop());

const root = () => ({ url: slapd.url, startTls: false, caCertificate: null, bindDn: slapd.rootDn, bindPassword: slapd.rootPassword });

describe("directory connection", () => {
  it("reads every entry in pages no bigger than the page size", async () => {
    const sizes: number[] = [];
    const ids = new Set<string>();
    await withDirectoryConnection(root(), async (client) => {
      for await (const page of searchPages(client, { baseDn: slapd.suffix, filter: PRESETS.openldap.userFilter, attributes: requestedAttributes(PRESETS.openldap.mapping, null), pageSize: 500 })) {
        sizes.push(page.length);
        for (const entry of page) ids.add(String(entry.entryUUID));
      }
    });
    expect(ids.size).toBe(PEOPLE);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });

  it("verifies ldaps:// against the directory's CA, and refuses it without", async () => {
    const secure = { ...root(), url: slapd.secureUrl! };
    await expect(withDirectoryConnection({ ...secure, caCertificate: slapd.caCertificate }, () => Promise.resolve("ok"))).resolves.toBe("ok");
    await expect(withDirectoryConnection(secure, () => Promise.resolve("ok"))).rejects.toThrow(/certificate is not trusted/);
  });

  it("upgrades ldap:// with StartTLS, verified the same way", async () => {
    const url = slapd.url.replace("127.0.0.1", "localhost");
    await expect(withDirectoryConnection({ ...root(), url, startTls: true, caCertificate: slapd.caCertificate }, () => Promise.resolve("ok"))).resolves.toBe("ok");
    await expect(withDirectoryConnection({ ...root(), url, startTls: true }, () => Promise.resolve("ok"))).rejects.toThrow(/not trusted/);
  });

  it("says the bind was refused, and that nothing answers at a closed port", async () => {
    await expect(withDirectoryConnection({ ...root(), bindPassword: "wrong" }, () => Promise.resolve())).rejects.toThrow("The directory refused the bind DN or password");
    await expect(withDirectoryConnection({ ...root(), url: "ldap://127.0.0.1:1" }, () => Promise.resolve())).rejects.toThrow(/Nothing answers/);
    await expect(withDirectoryConnection({ ...root(), url: "http://127.0.0.1:1" }, () => Promise.resolve())).rejects.toBeInstanceOf(DirectoryConnectionError);
  });

  it("checks a member's password by a bind as their DN; an empty one is never a yes", async () => {
    const settings = { url: slapd.url, startTls: false, caCertificate: null };
    const dn = `uid=user0,ou=people,${slapd.suffix}`;
    expect(await verifyByBind(settings, dn, "first-password")).toBe(true);
    expect(await verifyByBind(settings, dn, "wrong")).toBe(false);
    expect(await verifyByBind(settings, dn, "")).toBe(false);
    await expect(verifyByBind({ ...settings, url: "ldap://127.0.0.1:1" }, dn, "first-password")).rejects.toBeInstanceOf(DirectoryConnectionError);
  });
});
