import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import type { TDepartmentNode } from "@/server/org/list-department-tree";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Departments" };

function DepartmentList({ nodes }: { nodes: TDepartmentNode[] }) {
  return (
    <ul className="space-y-1 border-l border-slate-200 pl-4">
      {nodes.map((node) => (
        <li key={node.id}>
          <span className="font-medium">{node.name}</span>{" "}
          <span className="text-xs text-slate-500">
            {node.memberCount} member{node.memberCount === 1 ? "" : "s"}
          </span>
          {node.children.length > 0 ? <DepartmentList nodes={node.children} /> : null}
        </li>
      ))}
    </ul>
  );
}

export default async function DepartmentsPage() {
  await requireAdminSession();
  const tree = await (await serverCaller()).departments.tree();
  return (
    <>
      <PageHeader title="Departments" description="The organisation tree. Creating, moving and transferring arrive with the directory." />
      {tree.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No departments yet.</p>
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <DepartmentList nodes={tree} />
        </div>
      )}
    </>
  );
}
