export type TNameOrder = "first_last" | "last_first";

/** The default full name in the tenant's name order (e.g. "Wang Yunting" for last_first). */
export function composeFullName(firstName: string, lastName: string, order: string): string {
  const parts = order === "last_first" ? [lastName, firstName] : [firstName, lastName];
  return parts.filter(Boolean).join(" ").slice(0, 100);
}
