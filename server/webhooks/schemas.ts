import { z } from "zod";
import { WEBHOOK_EVENT_TYPE_NAMES } from "@/server/audit/webhook-event-types";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

// One schema per input, shared by Settings → Webhooks and the procedures. Pure:
// client components import it.

export const MAX_WEBHOOK_URL_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a URL cannot receive webhooks, or null when it can. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full address, such as https://example.com/webhooks/tenure";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Use an https:// address";
  // Plain http would show the events (names, emails) to anyone on the path: only to this machine itself.
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    return "Use https:// (plain http:// only to this machine: localhost or 127.0.0.1)";
  }
  if (url.username !== "" || url.password !== "") return "Remove the user name and password from the address: the signature proves the sender";
  return null;
}

export const ZWebhookUrl = zLine()
  .min(1, "Enter the endpoint's address")
  .max(MAX_WEBHOOK_URL_LENGTH, `At most ${MAX_WEBHOOK_URL_LENGTH} characters`)
  .superRefine((value, context) => {
    const problem = value.length > MAX_WEBHOOK_URL_LENGTH ? null : webhookUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

export const ZWebhookEventType = z.enum(WEBHOOK_EVENT_TYPE_NAMES);

const endpointFields = {
  url: ZWebhookUrl,
  description: zLine().max(200, "At most 200 characters"),
  eventTypes: z
    .array(ZWebhookEventType)
    .min(1, "Choose at least one event")
    .max(WEBHOOK_EVENT_TYPE_NAMES.length)
    .transform((types) => [...new Set(types)]),
};

export const ZWebhookEndpointInput = z.strictObject(endpointFields);
export type TWebhookEndpointInput = z.input<typeof ZWebhookEndpointInput>;

export const ZWebhookEndpointId = z.strictObject({ endpointId: ZEntityId("Unknown endpoint") });
export type TWebhookEndpointId = z.input<typeof ZWebhookEndpointId>;

export const ZWebhookEndpointUpdate = z.strictObject({ endpointId: ZEntityId("Unknown endpoint"), ...endpointFields });
export type TWebhookEndpointUpdate = z.input<typeof ZWebhookEndpointUpdate>;

export const ZWebhookSetEnabled = z.strictObject({ endpointId: ZEntityId("Unknown endpoint"), enabled: z.boolean() });
export type TWebhookSetEnabled = z.input<typeof ZWebhookSetEnabled>;

export const ZWebhookReplay = z.strictObject({ endpointId: ZEntityId("Unknown endpoint"), deliveryId: ZEntityId("Unknown delivery") });
export type TWebhookReplay = z.input<typeof ZWebhookReplay>;

export const WEBHOOK_LOG_FILTERS = ["all", "failed"] as const;

// A plain object: infinite queries add fields of their own (direction).
export const ZWebhookLogList = z.object({
  endpointId: ZEntityId("Unknown endpoint"),
  show: z.enum(WEBHOOK_LOG_FILTERS).default("all"),
  cursor: ZEntityId("Invalid cursor").nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type TWebhookLogListInput = z.input<typeof ZWebhookLogList>;
