import type { Metadata } from "next";
import { PermissionHeatmap } from "@/components/heatmap/permission-heatmap";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Permission heatmap" };

export default async function PermissionHeatmapPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Permission heatmap"
        description="Who holds which permission, department by department. Select a cell to see its holders and why they hold it."
      />
      <PermissionHeatmap />
    </>
  );
}
