"use client";

import type { ReactNode } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { roleLabel } from "@/components/members/member-labels";
import { WIZARD_STEPS, type TOnboardValues } from "@/components/onboarding/wizard-steps";
import { departmentNames } from "@/components/role-templates/department-checklist";
import type { TTemplateCatalogue } from "@/components/role-templates/use-template-catalogue";
import { DateTime } from "@/components/date-time";

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

function namesOf(ids: readonly string[] | undefined, names: Map<string, string>): string[] {
  return (ids ?? []).map((id) => names.get(id) ?? `#${id}`);
}

function Row({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-slate-600">{label}</dt>
      <dd className="break-words font-medium text-slate-900" data-testid={`review-${testId}`}>
        {children}
      </dd>
    </div>
  );
}

function List({ items, none }: { items: string[]; none: string }) {
  return items.length === 0 ? <span className="font-normal italic text-slate-600">{none}</span> : <>{items.join(", ")}</>;
}

function Section({ title, step, onEdit, children }: { title: string; step: number; onEdit: (step: number) => void; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5">
      <div className="mb-3 flex items-center justify-between">
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <button type="button" className="text-sm text-brand-700 hover:underline" onClick={() => onEdit(step)}>
          Change {WIZARD_STEPS[step]!.title.toLowerCase()}
        </button>
      </div>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">{children}</dl>
    </section>
  );
}

/** The last step: everything the member will get, each part with a way back to its step. */
export function ReviewStep({ catalogue, templateName, onEdit }: { catalogue: TTemplateCatalogue; templateName: string | null; onEdit: (step: number) => void }) {
  const { control } = useFormContext<TOnboardValues>();
  const values = useWatch({ control });
  const departments = departmentNames(catalogue.departments.data);
  const itemNames = (data: { id: string; name: string }[] | undefined) => new Map((data ?? []).map((item) => [item.id, item.name]));
  const startDate = text(values.startDate);
  const main = values.mainDepartmentId ? departments.get(values.mainDepartmentId) ?? `#${values.mainDepartmentId}` : null;
  const fullName = text(values.fullName) || `${text(values.firstName)} ${text(values.lastName)}`.trim();

  return (
    <div className="space-y-4">
      <Section title="Account" step={0} onEdit={onEdit}>
        <Row label="Name" testId="name">{fullName}</Row>
        <Row label="Username" testId="username">{text(values.username)}</Row>
        <Row label="Email" testId="email">{text(values.email)}</Row>
        <Row label="Mobile number" testId="mobile">{`${text(values.mobile)}${values.country ? ` (${values.country})` : ""}`}</Row>
        <Row label="Role" testId="role">{roleLabel(values.role ?? "member")}</Row>
        <Row label="Starts" testId="start">
          {startDate ? <><DateTime value={startDate} /> (pending until then)</> : "At once (active now)"}
        </Row>
        <Row label="Template" testId="template">{templateName ?? <span className="font-normal italic text-slate-600">None</span>}</Row>
      </Section>
      <Section title="Departments" step={1} onEdit={onEdit}>
        <Row label="Departments" testId="departments"><List items={namesOf(values.departmentIds, departments)} none="None" /></Row>
        <Row label="Main department" testId="main-department">{main ?? <span className="font-normal italic text-slate-600">None</span>}</Row>
      </Section>
      <Section title="Applications" step={2} onEdit={onEdit}>
        <Row label="Applications" testId="applications">
          <List items={namesOf(values.applicationIds, itemNames(catalogue.applications.data))} none="None" />
        </Row>
      </Section>
      <Section title="Roles and groups" step={3} onEdit={onEdit}>
        <Row label="Roles" testId="roles"><List items={namesOf(values.roleIds, itemNames(catalogue.roles.data))} none="None" /></Row>
        <Row label="Groups" testId="groups"><List items={namesOf(values.groupIds, itemNames(catalogue.groups.data))} none="None" /></Row>
      </Section>
      <p className="text-sm text-slate-600">
        Creating the member sends them an invitation by email to choose their password (the link works once, for seven days).
      </p>
    </div>
  );
}
