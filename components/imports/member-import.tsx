"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { importHref } from "@/components/imports/import-labels";
import { ImportView } from "@/components/imports/import-view";
import { RecentImports } from "@/components/imports/recent-imports";
import { UploadForm } from "@/components/imports/upload-form";
import { useTRPC } from "@/components/trpc/client";

/**
 * The import page: upload a file (the dry run), read its summary, apply it and
 * follow it to the report. The import shown lives in the URL (?import=…), so a
 * reload or a link from the list of recent imports opens the same one.
 */
export function MemberImport({ importId }: { importId: string | null }) {
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (
    <div className="space-y-8">
      {importId ? (
        <div className="space-y-3">
          <ImportView key={importId} importId={importId} />
          <Link href="/console/members/import" className={SECONDARY_BUTTON}>
            Import another file
          </Link>
        </div>
      ) : (
        <UploadForm
          onUploaded={(id) => {
            void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
            router.push(importHref(id));
          }}
        />
      )}
      <RecentImports currentId={importId} />
    </div>
  );
}
