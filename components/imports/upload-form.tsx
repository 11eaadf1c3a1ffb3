"use client";

import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { useHydrated } from "@/components/form/use-hydrated";
import { ProgressBar } from "@/components/imports/progress-bar";
import { MAX_IMPORT_BYTES } from "@/server/imports/limits";
import { useMutation } from "@tanstack/react-query";
import { MappingStep } from "@/components/imports/mapping-step";
import { useTRPC } from "@/components/trpc/client";
import { MAPPING_HEADER } from "@/server/imports/mapping-header";
import { MAX_SAMPLE_CHARACTERS, type TImportMapping } from "@/server/imports/mapping-schemas";
import type { TMappingPreview } from "@/server/imports/preview-import-mapping";

type TUploadState =
  | { kind: "idle" }
  | { kind: "reading" }
  | { kind: "mapping"; sample: string; proposal: TMappingPreview }
  | { kind: "uploading"; sent: number; total: number }
  | { kind: "failed"; message: string };

/**
 * Sends the file as the body of POST /api/imports (the dry run). XMLHttpRequest,
 * not fetch: only it reports upload progress. The server checks rows while the
 * file arrives, so the bar also tracks the checking.
 */
function sendFile(file: File, mapping: TImportMapping | null, onProgress: (sent: number, total: number) => void): Promise<{ id?: string; error?: string }> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/imports?fileName=${encodeURIComponent(file.name)}`);
    request.setRequestHeader("content-type", "application/octet-stream");
    if (mapping) request.setRequestHeader(MAPPING_HEADER, encodeURIComponent(JSON.stringify(mapping)));
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => {
      try {
        const body = JSON.parse(request.responseText) as { id?: string; error?: string };
        resolve(body.id ? { id: body.id } : { error: body.error ?? `The upload failed (HTTP ${request.status})` });
      } catch {
        resolve({ error: `The upload failed (HTTP ${request.status})` });
      }
    };
    request.onerror = () => resolve({ error: "The upload failed: the connection was lost. Try again." });
    request.send(file);
  });
}

export function UploadForm({ onUploaded }: { onUploaded: (importId: string) => void }) {
  const hydrated = useHydrated();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<TUploadState>({ kind: "idle" });
  const uploading = state.kind === "uploading" || state.kind === "reading";
  const trpc = useTRPC();
  const previewMapping = useMutation(trpc.imports.previewMapping.mutationOptions());

  async function upload(chosen: File, mapping: TImportMapping | null) {
    setState({ kind: "uploading", sent: 0, total: chosen.size });
    const result = await sendFile(chosen, mapping, (sent, total) => setState({ kind: "uploading", sent, total }));
    if (result.id) onUploaded(result.id);
    else setState({ kind: "failed", message: result.error ?? "The upload failed" });
  }

  /** Another system's export goes through the mapping step first; a file in Tenure's own column names goes straight to the check. */
  async function check(chosen: File) {
    if (chosen.size > MAX_IMPORT_BYTES) {
      setState({ kind: "failed", message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files.` });
      return;
    }
    setState({ kind: "reading" });
    const start = await chosen.slice(0, MAX_SAMPLE_CHARACTERS).text();
    // The start of a longer file ends mid-record: keep its whole lines (a whole small file keeps its last line, newline or not).
    const sample = chosen.size > MAX_SAMPLE_CHARACTERS ? start.slice(0, start.lastIndexOf("\n") + 1) || start : start;
    // A file the proposal cannot read goes to the check as before, which reports what is wrong with it.
    const proposal = await previewMapping.mutateAsync({ sample }).catch(() => null);
    if (proposal && proposal.origin?.kind !== "specification") setState({ kind: "mapping", sample, proposal });
    else await upload(chosen, null);
  }

  if (state.kind === "mapping" && file) {
    return (
      <MappingStep
        sample={state.sample}
        proposal={state.proposal}
        onConfirm={(mapping) => void upload(file, mapping)}
        onBack={() => setState({ kind: "idle" })}
      />
    );
  }

  return (
    <form
      noValidate
      aria-label="Upload a file"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6"
      onSubmit={(event) => {
        event.preventDefault();
        if (file && !uploading) void check(file);
      }}
    >
      <div className="space-y-1">
        <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
          Members file (CSV or JSON)
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json"
          disabled={uploading}
          aria-describedby="import-file-hint"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setState({ kind: "idle" });
          }}
          className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
        />
        <p id="import-file-hint" className="text-xs text-slate-500">
          A header line with the specification&apos;s field names (username, firstName, lastName, email, mobile, country, …, in any case), a JSON
          array of member objects, or one object per line. An export of this console imports back. An export of Microsoft Entra ID, Okta, Google
          Workspace or a Keycloak realm (JSON) is recognised: you map its columns first. Up to {MAX_IMPORT_BYTES / 1024 / 1024} MB.
          Nothing changes until you apply the checked rows.
        </p>
      </div>
      {state.kind === "uploading" ? (
        <ProgressBar
          label={state.sent < state.total ? `Uploading and checking ${file?.name ?? "the file"}` : "Checking the last rows"}
          value={state.sent}
          max={state.total || 1}
          detail={state.sent < state.total ? `${Math.floor((100 * state.sent) / (state.total || 1))}%` : "almost done"}
        />
      ) : null}
      {state.kind === "failed" ? <FormAlert>{state.message}</FormAlert> : null}
      <button type="submit" disabled={!hydrated || !file || uploading} className={PRIMARY_BUTTON}>
        {state.kind === "reading" ? "Reading…" : uploading ? "Checking…" : "Check file"}
      </button>
    </form>
  );
}
