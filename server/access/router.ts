import { adminProcedure, router } from "@/server/trpc/init";
import { grantToMembers, previewRolePolicies, revokeFromMember, setRolePolicies } from "@/server/access/grant-access";
import { listMemberAccess } from "@/server/access/list-member-access";
import { can } from "@/server/access/can";
import { explainPermission, whoHas } from "@/server/access/who-has";
import { createCatalogItem, deleteCatalogItem, listCatalog, updateCatalogItem, type TCatalogItem } from "@/server/access/manage-catalog";
import {
  ZAccessGrant,
  ZAccessItemCreate,
  ZAccessItemRef,
  ZAccessItemUpdate,
  ZAccessKindInput,
  ZAccessRevoke,
  ZCanInput,
  ZWhoHasInput,
  ZWhyInput,
  ZMemberAccessInput,
  ZRolePolicies,
} from "@/server/access/schemas";

const serialise = (item: TCatalogItem) => ({ ...item, id: item.id.toString() });

export const accessRouter = router({
  list: adminProcedure.input(ZAccessKindInput).query(({ ctx, input }) => listCatalog(ctx.db, ctx.session.tenant.id, input.kind)),
  create: adminProcedure.input(ZAccessItemCreate).mutation(async ({ ctx, input }) => serialise(await createCatalogItem(ctx.db, ctx.actor, input))),
  update: adminProcedure.input(ZAccessItemUpdate).mutation(async ({ ctx, input }) => serialise(await updateCatalogItem(ctx.db, ctx.actor, input))),
  delete: adminProcedure.input(ZAccessItemRef).mutation(({ ctx, input }) => deleteCatalogItem(ctx.db, ctx.actor, input)),
  grant: adminProcedure.input(ZAccessGrant).mutation(({ ctx, input }) => grantToMembers(ctx.db, ctx.actor, input)),
  revoke: adminProcedure.input(ZAccessRevoke).mutation(({ ctx, input }) => revokeFromMember(ctx.db, ctx.actor, input)),
  setRolePolicies: adminProcedure.input(ZRolePolicies).mutation(({ ctx, input }) => setRolePolicies(ctx.db, ctx.actor, input)),
  can: adminProcedure
    .input(ZCanInput)
    .query(async ({ ctx, input }) => ({ allowed: await can(ctx.db, ctx.session.tenant.id, BigInt(input.memberId), input.permission) })),
  whoHas: adminProcedure.input(ZWhoHasInput).query(({ ctx, input }) => whoHas(ctx.db, ctx.session.tenant.id, input)),
  why: adminProcedure.input(ZWhyInput).query(({ ctx, input }) => explainPermission(ctx.db, ctx.session.tenant.id, input)),
  // A mutation like every preview of an access change: it runs the change and rolls it back.
  previewRolePolicies: adminProcedure.input(ZRolePolicies).mutation(({ ctx, input }) => previewRolePolicies(ctx.db, ctx.actor, input)),
  ofMember: adminProcedure.input(ZMemberAccessInput).query(({ ctx, input }) => listMemberAccess(ctx.db, ctx.session.tenant.id, BigInt(input.memberId))),
});
