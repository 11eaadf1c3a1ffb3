import type { z } from "zod";
import { ZMemberCreate } from "@/server/members/schemas";
import { invalidValue } from "@/server/scim/scim-errors";
import { keyOf } from "@/server/scim/scim-patch";
import { ENTERPRISE_SCHEMA } from "@/server/scim/scim-user-resource";

// A SCIM User body (POST, PUT, or the result of a PATCH) as Tenure's member
// input, checked with the member record's own rules (ZMemberCreate): a field
// error becomes invalidValue naming the SCIM attribute the client sent.

type TJson = Record<string, unknown>;
const isObject = (value: unknown): value is TJson => typeof value === "object" && value !== null && !Array.isArray(value);
const get = (object: unknown, name: string): unknown => (isObject(object) ? object[keyOf(object, name)] : undefined);
const typeOf = (element: unknown): string => {
  const type = get(element, "type");
  return typeof type === "string" ? type.toLowerCase() : "";
};
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : typeof value === "number" ? String(value) : null);

/** Which SCIM attribute a member field came from, for error messages. */
const SCIM_ATTRIBUTE_OF: Record<string, string> = {
  username: "userName",
  firstName: "name.givenName",
  lastName: "name.familyName",
  fullName: "displayName",
  email: "emails",
  mobile: "phoneNumbers",
  landline: "phoneNumbers",
  country: "addresses.country",
  title: "title",
};

/** Entra sends booleans as "True"/"False" strings. */
export function scimBoolean(value: unknown, attribute: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw invalidValue(`${attribute} must be true or false`);
}

/** The element of a multi-valued attribute to use: of the type asked for, else the primary one, else the first. */
function pick(values: unknown, types: string[]): string | null {
  if (!Array.isArray(values)) return null;
  const elements = values as unknown[];
  const typed = types.map((type) => elements.find((element) => typeOf(element) === type)).find(Boolean);
  const chosen: unknown = typed ?? elements.find((element) => scimBoolean(get(element, "primary"), "primary") === true) ?? (types.length > 0 ? values[0] : undefined);
  return text(isObject(chosen) ? get(chosen, "value") : chosen);
}

/** Tenure usernames have no "@" (server/members/schemas.ts): a UPN or email userName gives its local part. */
export function usernameFromUserName(userName: string): string {
  return userName.includes("@") ? userName.slice(0, userName.lastIndexOf("@")) : userName;
}

export type TScimUserInput = {
  userName: string;
  profile: z.output<typeof ZMemberCreate>;
  active: boolean | undefined;
  externalId: string | null;
  employeeNumber: string | null;
  managerId: string | null;
  department: string | null;
};

export function userInputFromResource(body: unknown): TScimUserInput {
  if (!isObject(body)) throw invalidValue("A User is a JSON object");
  const userName = text(get(body, "userName"));
  if (!userName) throw invalidValue("userName is required");
  if (userName.length > 200) throw invalidValue("userName: at most 200 characters");
  const name = get(body, "name");
  const displayName = text(get(body, "displayName")) ?? text(get(name, "formatted"));
  const words = displayName?.split(/\s+/) ?? [];
  const firstName = text(get(name, "givenName")) ?? (words.length >= 2 ? words.slice(0, -1).join(" ") : null);
  const lastName = text(get(name, "familyName")) ?? (words.length >= 2 ? words.at(-1)! : null);
  const email = pick(get(body, "emails"), ["work"]) ?? (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(userName) ? userName : null);
  const phones = get(body, "phoneNumbers");
  const mobile = pick(phones, ["mobile"]);
  const landline = Array.isArray(phones) ? text(get((phones as unknown[]).find((element) => typeOf(element) === "work"), "value")) : null;
  const addresses = get(body, "addresses");
  const country = Array.isArray(addresses) ? text(get((addresses as unknown[]).find((element) => text(get(element, "country"))), "country")) : null;
  const enterprise = get(body, ENTERPRISE_SCHEMA);
  const manager = get(enterprise, "manager");

  const parsed = ZMemberCreate.safeParse({
    username: usernameFromUserName(userName),
    firstName: firstName ?? "",
    lastName: lastName ?? "",
    fullName: displayName,
    email,
    // E.164 numbers carry their country; a national one needs addresses[].country.
    mobile: mobile && !mobile.startsWith("+") && !country ? null : mobile,
    country: country ?? "US",
    landline,
    title: text(get(body, "title")),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? "");
    throw invalidValue(`${SCIM_ATTRIBUTE_OF[field] ?? field}: ${issue.message}`);
  }
  return {
    userName,
    profile: parsed.data,
    active: scimBoolean(get(body, "active"), "active"),
    externalId: text(get(body, "externalId"))?.slice(0, 200) ?? null,
    employeeNumber: text(get(enterprise, "employeeNumber"))?.slice(0, 100) ?? null,
    managerId: text(isObject(manager) ? get(manager, "value") : manager),
    department: text(get(enterprise, "department")),
  };
}
