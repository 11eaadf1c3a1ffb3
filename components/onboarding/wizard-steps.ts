import type { z } from "zod";
import type { ZOnboardMember } from "@/server/onboarding/schemas";

// The onboarding wizard's steps (specification: member-lifecycle, Employee
// Onboarding) and which form fields each one holds, so Next validates only
// the current step and a server error can send the admin back to its step.

export type TOnboardValues = z.input<typeof ZOnboardMember>;
export type TOnboardOutput = z.output<typeof ZOnboardMember>;
type TField = keyof TOnboardValues;

export const WIZARD_STEPS = [
  {
    id: "account",
    title: "Account",
    fields: ["templateId", "firstName", "lastName", "fullName", "username", "email", "country", "mobile", "landline", "address", "title", "gender", "role", "startDate"],
  },
  { id: "departments", title: "Departments", fields: ["departmentIds", "mainDepartmentId"] },
  { id: "applications", title: "Applications", fields: ["applicationIds"] },
  { id: "roles", title: "Roles and groups", fields: ["roleIds", "groupIds"] },
  { id: "review", title: "Review", fields: [] },
] as const satisfies readonly { id: string; title: string; fields: readonly TField[] }[];

export const REVIEW_STEP = WIZARD_STEPS.length - 1;

/** The step that holds a field, for an error on it (an unknown field: the review step). */
export function stepOfField(field: string): number {
  const index = WIZARD_STEPS.findIndex((step) => (step.fields as readonly string[]).includes(field));
  return index === -1 ? REVIEW_STEP : index;
}

/** The first step holding one of these fields. */
export function firstStepOf(fields: readonly string[]): number {
  return Math.min(REVIEW_STEP, ...fields.map(stepOfField));
}

/** The wizard's starting values: nothing chosen yet, no start date, no template. */
export const EMPTY_CHOICES = {
  departmentIds: [],
  mainDepartmentId: null,
  applicationIds: [],
  roleIds: [],
  groupIds: [],
  startDate: "",
  templateId: null,
} satisfies Partial<TOnboardValues>;
