import { randomUUID } from "node:crypto";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { expect, openSettled, signIn, signInAsAdmin, test } from "./support/fixtures";

// Fields a directory fills, through the real pages: read-only in the console's
// edit form and in the member's own profile, each saying which directory
// manages it; a member no directory manages keeps editable fields.

test("a directory member's email is read-only and says which directory manages it, in the console and on their own profile", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);
  const local = await factory.createMember(tenant);
  const directoryName = `Corporate LDAP ${randomUUID().slice(0, 6)}`;
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO directories (tenant_id, name, preset, url, base_dn, user_filter, attribute_mapping)
     VALUES ($1, $2, 'openldap', 'ldap://127.0.0.1:1', 'dc=example,dc=org', $3, $4) RETURNING id`,
    [tenant.id, directoryName, PRESETS.openldap.userFilter, JSON.stringify(PRESETS.openldap.mapping)],
  );
  await database.query(`UPDATE users SET user_directory_id = $1, directory_entry_id = $2, directory_dn = $3, source = 'ldap' WHERE id = $4`, [
    rows[0]!.id,
    randomUUID(),
    `uid=${member.username},ou=people,dc=example,dc=org`,
    member.id,
  ]);

  await openSettled(page, `/console/members/${member.id}/edit`);
  const email = page.getByLabel("Email", { exact: true });
  await expect(email).toHaveValue(member.email);
  await expect(email).toHaveAttribute("readonly", "");
  await expect(email).toHaveAccessibleDescription(`Managed by ${directoryName}`);
  await expect(page.getByLabel("First name")).toHaveAttribute("readonly", "");
  // Gender is not in the OpenLDAP preset's mapping: still editable.
  await expect(page.getByLabel("Gender (optional)")).toBeEditable();

  // A console member's form is as before.
  await openSettled(page, `/console/members/${local.id}/edit`);
  await expect(page.getByLabel("Email", { exact: true })).toBeEditable();
  await expect(page.getByText(`Managed by ${directoryName}`)).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-email")).toContainText(member.email);
  await expect(page.getByTestId("profile-email")).toContainText(`Managed by ${directoryName}`);
  // Members may edit their mobile by default; the directory fills it, so not here.
  const mobile = page.getByLabel("Mobile number");
  await expect(mobile).toHaveAttribute("readonly", "");
  await expect(mobile).toHaveAccessibleDescription(`Managed by ${directoryName}`);
});
