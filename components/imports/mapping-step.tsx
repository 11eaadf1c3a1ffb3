"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { SuccessStatus } from "@/components/form/success-status";
import { useTRPC } from "@/components/trpc/client";
import { MAPPING_TARGETS, MAPPING_TRANSFORMS, ZImportMapping, type TImportMapping, type TMappingEntry } from "@/server/imports/mapping-schemas";
import type { TMappingPreview } from "@/server/imports/preview-import-mapping";

// The mapping step of a migration import: each column of the file with the
// member field it gives (or none), the transform, and the first rows as the
// import will write them. The same schema checks it here and on the server.

const TRANSFORM_LABELS: Record<(typeof MAPPING_TRANSFORMS)[number], string> = {
  none: "as is",
  upnLocalPart: "part before @",
  splitDisplayNameFirst: "first name from a display name",
  splitDisplayNameLast: "last name from a display name",
  boolToStatus: "true/false, active/disabled",
};
const PREVIEW_FIELDS = ["username", "firstName", "lastName", "email", "mobile", "title"] as const;

function originText(origin: TMappingPreview["origin"]): string {
  if (!origin) return "Your mapping";
  if (origin.kind === "saved") return `Your saved mapping “${origin.name}” (made for files with these columns)`;
  if (origin.kind === "preset") return "Recognised from the columns";
  if (origin.kind === "unrecognised") return "These columns are not from a system Tenure knows: the columns named as Tenure's fields are mapped";
  return "Columns named as in Tenure's specification";
}

/** Entries for the column list: one per column, the column's entry or none. */
function entryOf(mapping: TImportMapping, column: string): TMappingEntry | undefined {
  return mapping.entries.find((entry) => entry.source === column);
}

export function MappingStep({
  sample,
  proposal,
  onConfirm,
  onBack,
}: {
  sample: string;
  proposal: TMappingPreview;
  onConfirm: (mapping: TImportMapping) => void;
  onBack: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<TImportMapping>(proposal.mapping);
  const [preview, setPreview] = useState<TMappingPreview>(proposal);
  const [saveName, setSaveName] = useState(proposal.origin?.kind === "saved" ? proposal.origin.name : "");
  const previewMutation = useMutation(trpc.imports.previewMapping.mutationOptions({ onSuccess: setPreview }));
  const save = useMutation(trpc.imports.saveMapping.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.imports.mappings.pathFilter()) }));
  const checked = ZImportMapping.safeParse(mapping);
  const problem = checked.success ? null : checked.error.issues[0]?.message;
  const { mutate } = previewMutation;

  // The preview follows every change of the mapping (a valid one).
  useEffect(() => {
    if (checked.success && mapping !== proposal.mapping) mutate({ sample, mapping: checked.data });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `checked` is derived from `mapping`
  }, [mapping, sample, mutate, proposal.mapping]);

  function setColumn(column: string, target: string) {
    setMapping((current) => {
      const others = current.entries.filter((entry) => entry.source !== column);
      if (target === "") return { ...current, entries: others };
      const transform = target === "sourceStatus" ? "boolToStatus" : (entryOf(current, column)?.transform ?? "none");
      const entry = { source: column, target: target as TMappingEntry["target"], transform: transform === "boolToStatus" && target !== "sourceStatus" ? "none" : transform };
      return { ...current, entries: [...others, entry] };
    });
  }
  function setTransform(column: string, transform: string) {
    setMapping((current) => ({
      ...current,
      entries: current.entries.map((entry) => (entry.source === column ? { ...entry, transform: transform as TMappingEntry["transform"] } : entry)),
    }));
  }

  return (
    <section aria-labelledby="mapping-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <header className="space-y-1">
        <h2 id="mapping-heading" className="text-lg font-semibold">
          Map the columns
        </h2>
        <p className="text-sm text-slate-600">
          {originText(preview.origin ?? proposal.origin)}. Choose the member field each column gives; columns without one are not imported.
        </p>
      </header>
      <div className="space-y-1">
        <label htmlFor="mapping-source-name" className="block text-sm font-medium text-slate-700">
          The system this file comes from
        </label>
        <input
          id="mapping-source-name"
          value={mapping.sourceName}
          maxLength={60}
          onChange={(event) => setMapping((current) => ({ ...current, sourceName: event.target.value }))}
          className="block w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
      </div>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Columns of the file and the member field each gives</caption>
        <thead>
          <tr className="text-xs uppercase tracking-wide text-slate-500">
            <th scope="col" className="py-1">Column</th>
            <th scope="col" className="py-1">Member field</th>
            <th scope="col" className="py-1">Transform</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((column) => {
            const entry = entryOf(mapping, column);
            return (
              <tr key={column} className="border-t border-slate-100">
                <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal">
                  {column}
                </th>
                <td className="py-1 pr-3">
                  <select
                    aria-label={`Field for ${column}`}
                    value={entry?.target ?? ""}
                    onChange={(event) => setColumn(column, event.target.value)}
                    className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                  >
                    <option value="">(not imported)</option>
                    {MAPPING_TARGETS.map((target) => (
                      <option key={target} value={target}>
                        {target === "sourceStatus" ? "account status (disable after import)" : target}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="py-1">
                  {entry ? (
                    <select
                      aria-label={`Transform for ${column}`}
                      value={entry.transform}
                      onChange={(event) => setTransform(column, event.target.value)}
                      className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                    >
                      {MAPPING_TRANSFORMS.filter((transform) => (transform === "boolToStatus") === (entry.target === "sourceStatus")).map((transform) => (
                        <option key={transform} value={transform}>
                          {TRANSFORM_LABELS[transform]}
                        </option>
                      ))}
                    </select>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {problem ? <FormAlert>{problem}</FormAlert> : null}
      <div className="space-y-2">
        <h3 className="text-sm font-semibold">Preview: the first rows as they will be written</h3>
        <table className="w-full text-left text-xs" aria-label="Preview of the first rows">
          <thead>
            <tr className="text-slate-500">
              <th scope="col">Row</th>
              {PREVIEW_FIELDS.map((field) => (
                <th key={field} scope="col">
                  {field}
                </th>
              ))}
              <th scope="col">In the source</th>
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.rowNumber} className="border-t border-slate-100 align-top">
                <td>{row.rowNumber}</td>
                {PREVIEW_FIELDS.map((field) => (
                  <td key={field}>{String(row.values?.[field] ?? row.cells[field] ?? "")}</td>
                ))}
                <td>{row.sourceStatus ?? ""}</td>
                <td className="text-red-700">{row.problems.map((item) => (item.field ? `${item.field}: ${item.message}` : item.message)).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {previewMutation.error ? <FormAlert>The preview failed: {previewMutation.error.message}</FormAlert> : null}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="mapping-save-name" className="block text-sm font-medium text-slate-700">
            Save this mapping as
          </label>
          <input
            id="mapping-save-name"
            value={saveName}
            maxLength={80}
            onChange={(event) => setSaveName(event.target.value)}
            className="block w-60 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
        </div>
        <button
          type="button"
          className={SECONDARY_BUTTON}
          disabled={!checked.success || saveName.trim() === "" || save.isPending}
          onClick={() => checked.success && save.mutate({ name: saveName, mapping: checked.data, columns: preview.columns })}
        >
          {save.isPending ? "Saving…" : "Save mapping"}
        </button>
      </div>
      <SuccessStatus message={save.data ? `Saved as “${save.data.name}”: the next file with these columns proposes it.` : null} />
      {save.error ? <FormAlert>The mapping could not be saved: {save.error.message}</FormAlert> : null}
      <div className="flex flex-wrap gap-3">
        <button type="button" className={PRIMARY_BUTTON} disabled={!checked.success} onClick={() => checked.success && onConfirm(checked.data)}>
          Check file with this mapping
        </button>
        <button type="button" className={SECONDARY_BUTTON} onClick={onBack}>
          Choose another file
        </button>
      </div>
    </section>
  );
}
