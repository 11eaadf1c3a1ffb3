import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createCatalogItem, deleteCatalogItem } from "@/server/access/manage-catalog";
import { ConflictError, NotFoundError, ValidationError } from "@/server/errors";
import { onboardMember } from "@/server/onboarding/onboard-member";
import { getRoleTemplate, listRoleTemplates } from "@/server/role-templates/list-role-templates";
import { createRoleTemplate, deleteRoleTemplate, updateRoleTemplate } from "@/server/role-templates/manage-role-templates";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant, uniqueMobile } from "../support/factories";

async function scene() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const engineering = await db().department.create({ data: { tenantId: tenant.id, name: "Engineering" } });
  const platform = await db().department.create({ data: { tenantId: tenant.id, name: "Platform", parentId: engineering.id } });
  const departed = await db().department.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "departed" } });
  const apps = [await createCatalogItem(db(), actor, { kind: "application", name: "Wiki" }), await createCatalogItem(db(), actor, { kind: "application", name: "Git" })];
  const role = await createCatalogItem(db(), actor, { kind: "role", name: "Developer" });
  const group = await createCatalogItem(db(), actor, { kind: "group", name: "On call" });
  return { tenant, admin, actor, engineering, platform, departed, apps, role, group, caller: createCaller(await createContextForSessionId(sessionId)) };
}

const id = (item: { id: bigint }) => item.id.toString();
const templateEvents = async (tenantId: bigint) =>
  (await db().auditEvent.findMany({ where: { tenantId, targetType: "role_template" }, orderBy: { id: "asc" } })).map((event) => ({ action: event.action, changes: event.changes }));

describe("role templates", () => {
  it("creates, lists, updates and deletes a template, each with an audit event", async () => {
    const { tenant, actor, engineering, platform, apps, role, group, caller } = await scene();
    const created = await createRoleTemplate(db(), actor, {
      name: "Backend engineer",
      description: "Everything a new backend engineer needs",
      departmentIds: [id(platform), id(engineering), id(platform)],
      applicationIds: apps.map(id),
      roleIds: [id(role)],
      groupIds: [id(group)],
    });
    expect(created).toMatchObject({
      name: "Backend engineer",
      departments: [{ id: id(engineering), name: "Engineering" }, { id: id(platform), name: "Platform" }],
      applications: [{ name: "Git" }, { name: "Wiki" }],
      roles: [{ name: "Developer" }],
      groups: [{ name: "On call" }],
    });
    expect(await caller.roleTemplates.list()).toEqual([created]);

    const updated = await caller.roleTemplates.update({
      templateId: created.id,
      name: "Backend engineer",
      description: "",
      departmentIds: [id(platform)],
      applicationIds: [id(apps[0]!)],
      roleIds: [id(role)],
      groupIds: [],
    });
    expect(updated).toMatchObject({ description: null, departments: [{ name: "Platform" }], applications: [{ name: "Wiki" }], roles: [{ name: "Developer" }], groups: [] });
    expect(await getRoleTemplate(db(), tenant.id, created.id)).toEqual(updated);

    await caller.roleTemplates.delete({ templateId: created.id });
    expect(await listRoleTemplates(db(), tenant.id)).toEqual([]);
    await expect(deleteRoleTemplate(db(), actor, { templateId: created.id })).rejects.toBeInstanceOf(NotFoundError);

    expect(await templateEvents(tenant.id)).toEqual([
      {
        action: "role_template.created",
        changes: {
          name: { before: null, after: "Backend engineer" },
          description: { before: null, after: "Everything a new backend engineer needs" },
          departments: { before: null, after: ["Engineering", "Platform"] },
          applications: { before: null, after: ["Git", "Wiki"] },
          roles: { before: null, after: ["Developer"] },
          groups: { before: null, after: ["On call"] },
        },
      },
      {
        action: "role_template.updated",
        changes: {
          description: { before: "Everything a new backend engineer needs", after: null },
          departments: { before: ["Engineering", "Platform"], after: ["Platform"] },
          applications: { before: ["Git", "Wiki"], after: ["Wiki"] },
          groups: { before: ["On call"], after: [] },
        },
      },
      { action: "role_template.deleted", changes: { name: { before: "Backend engineer", after: null } } },
    ]);
  });

  it("keeps names unique per organisation regardless of case, as a field error", async () => {
    const { actor } = await scene();
    const empty = { departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] };
    const first = await createRoleTemplate(db(), actor, { name: "Support", ...empty });
    const second = await createRoleTemplate(db(), actor, { name: "Sales", ...empty });
    const duplicate = await createRoleTemplate(db(), actor, { name: "SUPPORT", ...empty }).catch((caught: unknown) => caught);
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect((duplicate as ConflictError).fieldErrors).toEqual({ name: ["A template with this name exists"] });
    const renamed = await updateRoleTemplate(db(), actor, { templateId: second.id, name: "support", ...empty }).catch((caught: unknown) => caught);
    expect((renamed as ConflictError).fieldErrors).toEqual({ name: ["A template with this name exists"] });
    // Another organisation may use the same name.
    const other = await scene();
    await expect(createRoleTemplate(db(), other.actor, { name: "Support", ...empty })).resolves.toMatchObject({ name: "Support" });
    expect(first.name).toBe("Support");
  });

  it("refuses another tenant's items and the Departed department, and never shows another tenant's template", async () => {
    const { actor, departed, tenant } = await scene();
    const other = await scene();
    const empty: Record<"departmentIds" | "applicationIds" | "roleIds" | "groupIds", string[]> = { departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] };
    const refusals: [Partial<typeof empty>, string][] = [
      [{ departmentIds: [id(other.engineering)] }, "departmentIds"],
      [{ departmentIds: [id(departed)] }, "departmentIds"],
      [{ applicationIds: [id(other.apps[0]!)] }, "applicationIds"],
      [{ roleIds: [id(other.role)] }, "roleIds"],
      [{ groupIds: [id(other.group)] }, "groupIds"],
    ];
    for (const [sets, field] of refusals) {
      const error = await createRoleTemplate(db(), actor, { name: `Refused ${field}`, ...empty, ...sets }).catch((caught: unknown) => caught);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual([field]);
    }
    expect(await listRoleTemplates(db(), tenant.id)).toEqual([]);
    const foreign = await createRoleTemplate(db(), other.actor, { name: "Theirs", ...empty });
    await expect(getRoleTemplate(db(), tenant.id, foreign.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateRoleTemplate(db(), actor, { templateId: foreign.id, name: "Mine now", ...empty })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteRoleTemplate(db(), actor, { templateId: foreign.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pre-fills onboarding: the template's sets, sent by the wizard, become the member's; a deleted item drops out of the template", async () => {
    const { tenant, actor, platform, apps, role, group } = await scene();
    const template = await createRoleTemplate(db(), actor, {
      name: "Developer",
      departmentIds: [id(platform)],
      applicationIds: apps.map(id),
      roleIds: [id(role)],
      groupIds: [id(group)],
    });
    // What the wizard does with "Start from a template": steps 2-4 take the template's ids.
    const prefill = await getRoleTemplate(db(), tenant.id, template.id);
    const member = await onboardMember(db(), actor, {
      firstName: "Tess",
      lastName: "Template",
      username: "tess",
      email: "tess@example.test",
      mobile: uniqueMobile(),
      country: "GB",
      templateId: template.id,
      departmentIds: prefill.departments.map((item) => item.id),
      mainDepartmentId: prefill.departments[0]!.id,
      applicationIds: prefill.applications.map((item) => item.id),
      roleIds: prefill.roles.map((item) => item.id),
      groupIds: prefill.groups.map((item) => item.id),
    });
    expect(await db().memberApplication.count({ where: { userId: member.id } })).toBe(2);
    expect(await db().memberRole.count({ where: { userId: member.id } })).toBe(1);
    expect(await db().memberGroup.count({ where: { userId: member.id } })).toBe(1);
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { mainDepartmentId: true } })).toEqual({ mainDepartmentId: platform.id });
    const onboarded = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.onboarded" } });
    expect(onboarded.changes).toMatchObject({ template: { before: null, after: { id: template.id, name: "Developer" } } });

    await deleteCatalogItem(db(), actor, { kind: "application", itemId: id(apps[1]!) });
    expect((await getRoleTemplate(db(), tenant.id, template.id)).applications).toEqual([{ id: id(apps[0]!), name: "Wiki" }]);
  });

  it("is for administrators only", async () => {
    const { tenant } = await scene();
    const { sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId));
    await expect(caller.roleTemplates.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.roleTemplates.create({ name: "Nope", departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
