import { ZNoInput } from "@/server/trpc/no-input";
import { adminProcedure, router } from "@/server/trpc/init";
import { getRoleTemplate, listRoleTemplates } from "@/server/role-templates/list-role-templates";
import { createRoleTemplate, deleteRoleTemplate, updateRoleTemplate } from "@/server/role-templates/manage-role-templates";
import { ZRoleTemplateCreate, ZRoleTemplateId, ZRoleTemplateUpdate } from "@/server/role-templates/schemas";

export const roleTemplatesRouter = router({
  list: adminProcedure.input(ZNoInput).query(({ ctx }) => listRoleTemplates(ctx.db, ctx.session.tenant.id)),
  get: adminProcedure.input(ZRoleTemplateId).query(({ ctx, input }) => getRoleTemplate(ctx.db, ctx.session.tenant.id, input.templateId)),
  create: adminProcedure.input(ZRoleTemplateCreate).mutation(({ ctx, input }) => createRoleTemplate(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(ZRoleTemplateUpdate).mutation(({ ctx, input }) => updateRoleTemplate(ctx.db, ctx.actor, input)),
  delete: adminProcedure.input(ZRoleTemplateId).mutation(({ ctx, input }) => deleteRoleTemplate(ctx.db, ctx.actor, input)),
});
