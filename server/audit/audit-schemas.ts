import { z } from "zod";
import { zLine } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";

export const AUDIT_TARGET_TYPES = ["member", "department", "role", "group", "application", "policy", "role_template", "member_import", "tenant", "alert_rule", "directory", "webhook_endpoint"] as const;

// A plain object: infinite queries add fields of their own.
export const ZAuditListInput = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  /** Keyset: the id of the last event of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
  targetType: z.enum(AUDIT_TARGET_TYPES).nullish(),
  /** The start of an action name: "member." or "member.lock". */
  action: zLine().max(60).regex(/^[a-z_.]*$/, "Letters, dots and underscores only").nullish(),
  highRiskOnly: z.boolean().default(false),
});
export type TAuditListInput = z.input<typeof ZAuditListInput>;

// A plain object: infinite queries add fields of their own (direction), which are dropped.
export const ZTimelineInput = z.object({
  memberId: ZEntityId("Unknown member"),
  limit: z.number().int().min(1).max(100).default(30),
  /** Keyset cursor: the id of the last event of the previous page (events go newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});
