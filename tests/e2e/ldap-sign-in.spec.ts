import { randomUUID } from "node:crypto";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { expect, formAlert, openSettled, signIn, SIGN_IN_ALERT, test } from "./support/fixtures";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";

// Sign-in by LDAP bind through the real sign-in page, against a real slapd
// started by this spec: the directory's password signs in, the local one no
// longer does, and a stopped directory is said plainly and lets nobody in.

let slapd: TSlapd;

test.beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([organisationalUnit(slapd.suffix, "people")]);
});
test.afterAll(async () => {
  await slapd?.stop();
});

test("a member of a bind directory signs in with their LDAP password; a directory that is down is said plainly", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const ldapPassword = `Ldap ${randomUUID()} passphrase`;
  const entry = person(slapd.suffix, member.username, { password: ldapPassword });
  await slapd.add([entry]);
  const directoryName = `Staff LDAP ${randomUUID().slice(0, 6)}`;
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO directories (tenant_id, name, preset, url, base_dn, user_filter, attribute_mapping, sign_in_by_bind)
     VALUES ($1, $2, 'openldap', $3, $4, $5, $6, true) RETURNING id`,
    [tenant.id, directoryName, slapd.url, slapd.suffix, PRESETS.openldap.userFilter, JSON.stringify(PRESETS.openldap.mapping)],
  );
  await database.query(`UPDATE users SET user_directory_id = $1, directory_entry_id = $2, directory_dn = $3, source = 'ldap' WHERE id = $4`, [
    rows[0]!.id,
    randomUUID(),
    entry.dn,
    member.id,
  ]);

  // The Tenure password the member had before is not the way in any more.
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(formAlert(page, SIGN_IN_ALERT.invalidCredentials)).toBeVisible();

  await signIn(page, { organisation: tenant.slug, login: member.username, password: ldapPassword });
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSettled(page, "/me/security");
  await expect(page.getByText(`Your password is managed by your organisation's directory (${directoryName})`)).toBeVisible();

  await page.context().clearCookies();
  await slapd.stop();
  await signIn(page, { organisation: tenant.slug, login: member.username, password: ldapPassword });
  await expect(formAlert(page, "Your organisation's directory cannot be reached right now")).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
});
