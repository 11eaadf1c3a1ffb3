"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ALERT_CLASS_LABELS } from "@/components/alerts/alert-labels";
import { AlertRuleForm, NEW_RULE, type TAlertRuleValues } from "@/components/alerts/alert-rule-form";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { ListState, QueryStatus } from "@/components/list/list-state";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";

type TRule = TAlertRuleValues & { id: string; recipients: { memberId: string; fullName: string }[] };

/** The form's fields only: the schema is strict, a listed rule carries more. */
function formValuesOf(rule: TRule): TAlertRuleValues {
  const { eventClass, notifyOwners, notifyAdmins, byConsole, byMail, policyPatterns, threshold, enabled } = rule;
  return { eventClass, notifyOwners, notifyAdmins, byConsole, byMail, policyPatterns, threshold, enabled, memberIds: rule.recipients.map((recipient) => recipient.memberId) };
}

function whoOf(rule: TRule): string {
  const who = [rule.notifyOwners ? "owners" : null, rule.notifyAdmins ? "every admin" : null, ...rule.recipients.map((recipient) => recipient.fullName)].filter(Boolean);
  return who.join(", ") || "nobody";
}

function howOf(rule: TRule): string {
  return [rule.byConsole ? "console" : null, rule.byMail ? "mail" : null].filter(Boolean).join(" and ");
}

/** Settings → Alerts: every rule; owners create, edit and delete them. */
export function AlertRules({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.queryOptions());
  const candidates = useQuery(trpc.alerts.recipientCandidates.queryOptions());
  const [editing, setEditing] = useState<{ ruleId: string | null; values: TAlertRuleValues } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const refresh = () => queryClient.invalidateQueries(trpc.alerts.rules.pathFilter());
  const remove = useMutation(trpc.alerts.deleteRule.mutationOptions());
  const deleteRule = (ruleId: string) =>
    remove.mutate(
      { ruleId },
      {
        onSuccess: () => {
          setDone("Rule deleted.");
          void refresh();
        },
        onError: (error) => requireStepUp(error, () => deleteRule(ruleId)),
      },
    );

  if (candidates.isPending || candidates.isError) return <QueryStatus query={candidates} loading="Loading the alert rules…" failure="The admins could not be loaded" />;
  return (
    <div className="space-y-4">
      {!canEdit ? <FormAlert tone="info">Only owners change alert rules: alerts watch what admins do.</FormAlert> : null}
      <SuccessStatus message={done} />
      {remove.isError && !isStepUpRequired(remove.error) ? <FormAlert>{remove.error.message}</FormAlert> : null}
      {editing ? (
        <AlertRuleForm
          ruleId={editing.ruleId}
          initial={editing.values}
          candidates={candidates.data}
          onCancel={() => setEditing(null)}
          onDone={(message) => {
            setEditing(null);
            setDone(message);
            void refresh();
          }}
        />
      ) : canEdit ? (
        <button type="button" className={PRIMARY_BUTTON} onClick={() => {
            setDone(null);
            setEditing({ ruleId: null, values: NEW_RULE });
          }}>
          New rule
        </button>
      ) : null}
      <ListState query={rules} loading="Loading the alert rules…" failure="The alert rules could not be loaded" empty="No alert rules: nothing alerts anyone.">
        {(items: TRule[]) => (
          <ul aria-label="Alert rules" className="space-y-2">
            {items.map((rule) => (
              <li key={rule.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <h2 className="font-medium text-slate-900">{ALERT_CLASS_LABELS[rule.eventClass]}</h2>
                  {rule.enabled ? null : <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">Disabled</span>}
                </div>
                <p className="mt-1 text-sm text-slate-700">
                  To {whoOf(rule)}, by {howOf(rule)}
                  {rule.eventClass === "sensitive_grant" ? `; patterns: ${rule.policyPatterns.length > 0 ? rule.policyPatterns.join(", ") : "none (raises to admin or owner only)"}` : ""}
                  {rule.eventClass === "bulk_lifecycle" ? `; from ${String(rule.threshold)} members` : ""}.
                </p>
                {canEdit ? (
                  <div className="mt-2 flex flex-wrap gap-2">
                    <button
                      type="button"
                      className={SECONDARY_BUTTON}
                      aria-label={`Edit the ${ALERT_CLASS_LABELS[rule.eventClass]} rule`}
                      onClick={() => {
                        setDone(null);
                        setEditing({ ruleId: rule.id, values: formValuesOf(rule) });
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className={SECONDARY_BUTTON}
                      aria-label={`Delete the ${ALERT_CLASS_LABELS[rule.eventClass]} rule`}
                      onClick={async () => {
                        setDone(null);
                        const confirmed = await askConfirmation({
                          title: `Delete the ${ALERT_CLASS_LABELS[rule.eventClass]} rule?`,
                          message: "Nobody is alerted by it any more. The deletion is recorded in the audit trail.",
                          confirmLabel: "Delete the rule",
                          destructive: true,
                        });
                        if (confirmed) deleteRule(rule.id);
                      }}
                    >
                      Delete
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </ListState>
      {confirmDialog}
      {stepUpDialog}
    </div>
  );
}
