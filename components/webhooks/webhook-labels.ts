import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPE_NAMES } from "@/server/audit/webhook-event-types";

// What Settings → Webhooks calls things.

export const EVENT_TYPE_OPTIONS = WEBHOOK_EVENT_TYPE_NAMES.map((type) => ({ type, description: WEBHOOK_EVENT_TYPES[type] }));

type TEndpointState = { enabled: boolean; disabledReason: "owner" | "failing" | null; lastAttemptOk: boolean | null; consecutiveFailures: number };

export function endpointStatus(endpoint: TEndpointState): { label: string; tone: "ok" | "warn" | "off" } {
  if (!endpoint.enabled) return { label: endpoint.disabledReason === "failing" ? "Disabled: it kept failing" : "Disabled", tone: "off" };
  if (endpoint.lastAttemptOk === false) return { label: `Failing (${endpoint.consecutiveFailures} in a row)`, tone: "warn" };
  if (endpoint.lastAttemptOk === null) return { label: "Enabled, nothing sent yet", tone: "ok" };
  return { label: "Enabled, delivering", tone: "ok" };
}

export const STATUS_TONES = {
  ok: "bg-emerald-50 text-emerald-800 border-emerald-200",
  warn: "bg-amber-50 text-amber-900 border-amber-200",
  off: "bg-slate-100 text-slate-700 border-slate-300",
} as const;
