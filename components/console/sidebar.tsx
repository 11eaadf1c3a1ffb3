"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/console", label: "Overview" },
  { href: "/console/status", label: "Status overview" },
  { href: "/console/members", label: "Members" },
  { href: "/console/departments", label: "Departments" },
  { href: "/console/roles", label: "Roles" },
  { href: "/console/access/who-has", label: "Who has access" },
  { href: "/console/access/matrix", label: "Inheritance matrix" },
  { href: "/console/access/heatmap", label: "Permission heatmap" },
  { href: "/console/apps", label: "Apps" },
  { href: "/console/audit", label: "Audit" },
  { href: "/console/settings", label: "Settings" },
] as const;

export function ConsoleSidebar() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="space-y-1">
      {SECTIONS.map((section) => {
        const active = section.href === "/console" ? pathname === "/console" : pathname.startsWith(section.href);
        return (
          <Link
            key={section.href}
            href={section.href}
            aria-current={active ? "page" : undefined}
            className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
