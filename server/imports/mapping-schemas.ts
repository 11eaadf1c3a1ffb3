import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { IMPORT_FIELDS } from "@/server/imports/columns";
import { zLine } from "@/server/validation/text";

// A migration import's mapping: which column of another system's export (or
// which key path of its JSON) gives which field of the member record, with an
// optional transform. Shared by the mapping step's form and its procedures.

/**
 * What a column can be mapped to: a field an import writes, or the source
 * system's account status (`sourceStatus`), which writes nothing itself and
 * becomes a lifecycle action offered after the import.
 */
export const MAPPING_TARGETS = [...IMPORT_FIELDS, "sourceStatus"] as const;
export type TMappingTarget = (typeof MAPPING_TARGETS)[number];

/**
 * - upnLocalPart: "ada@contoso.com" → "ada" (a username holds no "@").
 * - splitDisplayNameFirst / splitDisplayNameLast: "Ada King Lovelace" → "Ada King" / "Lovelace"; "Lovelace, Ada" → "Ada" / "Lovelace".
 * - boolToStatus: true/false, Enabled/Disabled, Active/Suspended/DEPROVISIONED… → active or disabled (only for sourceStatus).
 * Every text is trimmed.
 */
export const MAPPING_TRANSFORMS = ["none", "upnLocalPart", "splitDisplayNameFirst", "splitDisplayNameLast", "boolToStatus"] as const;
export type TMappingTransform = (typeof MAPPING_TRANSFORMS)[number];

export const MAX_MAPPING_ENTRIES = 60;

const FORBIDDEN_TARGET =
  "Not a field an import writes: statuses change through lifecycle actions (map the column to sourceStatus), passwords are set by their owners, ids are made by Tenure";

export const ZMappingEntry = z.strictObject({
  /** A CSV header as written, or a JSON key path such as attributes.mobile (the first value of an array is taken). */
  source: zLine().min(1, "Choose a column").max(200, "At most 200 characters"),
  target: z.enum(MAPPING_TARGETS, { message: FORBIDDEN_TARGET }),
  transform: z.enum(MAPPING_TRANSFORMS).default("none"),
});
export type TMappingEntry = z.output<typeof ZMappingEntry>;

export const ZImportMapping = z
  .strictObject({
    /** Who made the file, in the admin's words ("Microsoft Entra ID"): named in the offer to disable members after the import. */
    sourceName: zLine().min(1, "Name the system the file comes from").max(60, "At most 60 characters"),
    entries: z.array(ZMappingEntry).min(1, "Map at least the username").max(MAX_MAPPING_ENTRIES, `At most ${MAX_MAPPING_ENTRIES} columns`),
  })
  .superRefine((mapping, context) => {
    const seen = new Set<string>();
    mapping.entries.forEach((entry, index) => {
      if (seen.has(entry.target)) context.addIssue({ code: "custom", path: ["entries", index, "target"], message: `Two columns give ${entry.target}: keep one` });
      seen.add(entry.target);
      if ((entry.target === "sourceStatus") !== (entry.transform === "boolToStatus")) {
        context.addIssue({ code: "custom", path: ["entries", index, "transform"], message: "The account status is read with “true/false or active/disabled”, and only it" });
      }
    });
    if (!seen.has("username")) context.addIssue({ code: "custom", path: ["entries"], message: "Map a column to username: it finds the member to update or names the one to create" });
  });
export type TImportMapping = z.output<typeof ZImportMapping>;
export type TImportMappingInput = z.input<typeof ZImportMapping>;

/** The start of the file (a few rows), for the proposal and the preview; the whole file goes to the upload. */
export const MAX_SAMPLE_CHARACTERS = 65_536;
export const ZMappingPreviewInput = z.strictObject({
  sample: z.string().min(1, "The file is empty").max(MAX_SAMPLE_CHARACTERS, "Send only the start of the file"),
  /** Null: Tenure proposes one (a saved mapping of the same header, else the best preset). */
  mapping: ZImportMapping.nullish(),
});
export type TMappingPreviewInput = z.input<typeof ZMappingPreviewInput>;

export const ZSaveImportMapping = z.strictObject({
  name: zLine().min(1, "Name the mapping").max(80, "At most 80 characters"),
  mapping: ZImportMapping,
  /** The columns of the file it was made for: a later file with the same columns proposes it first. */
  columns: z.array(zLine().max(200)).min(1).max(500),
});
export type TSaveImportMappingInput = z.input<typeof ZSaveImportMapping>;

export const ZImportMappingRef = z.strictObject({ mappingId: ZEntityId("Unknown mapping") });

/** After an import: disable the members the source system had disabled, through the lifecycle. */
export const ZDisableFromSourceInput = z.strictObject({ importId: ZEntityId("Unknown import") });
