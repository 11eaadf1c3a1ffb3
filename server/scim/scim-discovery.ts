import { MAX_PAGE_SIZE } from "@/server/scim/scim-list";
import { notFound } from "@/server/scim/scim-errors";
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from "@/server/scim/scim-user-resource";
import { GROUP_SCHEMA } from "@/server/scim/scim-group-resource";

// Discovery (RFC 7644 §4): what Tenure supports, as clients read it. Entra
// requires ResourceTypes and Schemas as ListResponses.

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
export const MAX_BODY_BYTES = 1024 * 1024;

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: "https://github.com/tenure/tenure#scim-provisioning-inbound",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "OAuth Bearer Token", description: "An API token with the scim scope (Settings → API tokens), sent as Authorization: Bearer <token>", primary: true },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A member of the organisation",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "A Tenure group",
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

type TAttributeSpec = [name: string, type: string, options?: { multi?: boolean; required?: boolean; mutability?: string; uniqueness?: string; sub?: TAttributeSpec[]; caseExact?: boolean }];

function attribute([name, type, options = {}]: TAttributeSpec): Record<string, unknown> {
  return {
    name,
    type,
    multiValued: options.multi ?? false,
    description: name,
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? "readWrite",
    returned: "default",
    uniqueness: options.uniqueness ?? "none",
    ...(options.sub ? { subAttributes: options.sub.map(attribute) } : {}),
  };
}

const MULTI_VALUE: TAttributeSpec[] = [["value", "string"], ["type", "string"], ["primary", "boolean"], ["display", "string"]];

function schemas(baseUrl: string) {
  const schema = (id: string, name: string, specs: TAttributeSpec[]) => ({
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description: name,
    attributes: specs.map(attribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${id}` },
  });
  return [
    schema(USER_SCHEMA, "User", [
      ["userName", "string", { required: true, uniqueness: "server" }],
      ["externalId", "string", { caseExact: true }],
      ["name", "complex", { sub: [["formatted", "string"], ["givenName", "string"], ["familyName", "string"]] }],
      ["displayName", "string"],
      ["title", "string"],
      ["active", "boolean"],
      ["emails", "complex", { multi: true, sub: MULTI_VALUE }],
      ["phoneNumbers", "complex", { multi: true, sub: MULTI_VALUE }],
      ["addresses", "complex", { multi: true, sub: [["country", "string"], ["type", "string"]] }],
    ]),
    schema(ENTERPRISE_SCHEMA, "EnterpriseUser", [
      ["employeeNumber", "string"],
      ["department", "string"],
      ["manager", "complex", { sub: [["value", "string"], ["$ref", "reference"], ["displayName", "string", { mutability: "readOnly" }]] }],
    ]),
    schema(GROUP_SCHEMA, "Group", [
      ["displayName", "string", { required: true, uniqueness: "server" }],
      ["externalId", "string", { caseExact: true }],
      ["members", "complex", { multi: true, sub: [["value", "string", { mutability: "immutable" }], ["$ref", "reference"], ["display", "string", { mutability: "readOnly" }]] }],
    ]),
  ];
}

export function listResponse(resources: unknown[], totalResults = resources.length, startIndex = 1) {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export function discovery(kind: "ResourceTypes" | "Schemas", baseUrl: string, id: string | null) {
  const all = kind === "ResourceTypes" ? resourceTypes(baseUrl) : schemas(baseUrl);
  if (id === null) return listResponse(all);
  const one = all.find((item) => item.id.toLowerCase() === id.toLowerCase());
  if (!one) throw notFound(`${kind} ${id.slice(0, 100)} not found`);
  return one;
}
