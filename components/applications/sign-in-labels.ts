import type { TClaimSet, TOidcClientType } from "@/server/applications/oidc-settings-schemas";

export const CLIENT_TYPE_LABELS: Record<TOidcClientType, string> = {
  confidential: "Confidential: a server-side application that keeps a secret",
  public: "Public: a browser or mobile app (no secret; PKCE)",
};

export const CLAIM_SET_LABELS: Record<TClaimSet, { label: string; hint: string }> = {
  profile: { label: "Profile", hint: "Name, username, and when the record changed" },
  email: { label: "Email", hint: "Email address" },
  phone: { label: "Phone", hint: "Mobile number" },
  roles: { label: "Roles", hint: "The member's effective roles in Tenure" },
  groups: { label: "Groups", hint: "The member's groups" },
  permissions: { label: "Permissions", hint: "Every permission the member's access grants" },
};

/** How long the previous secret keeps working after a rotation, in hours (0: it stops at once). */
export const OVERLAP_CHOICES = [
  { value: "0", label: "Stop the previous secret now" },
  { value: "1", label: "1 hour" },
  { value: "24", label: "24 hours" },
  { value: "168", label: "7 days" },
  { value: "720", label: "30 days" },
] as const;

/** "600 seconds" → "10 minutes": what a lifetime means, beside the number. */
export function durationWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return "";
  const units: [number, string][] = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}
