import { TabBar } from "@/components/tab-bar";
import { EMPTY_FILTERS, memberListHref, type TMemberListFilters } from "@/components/members/member-list-params";

export const RECYCLE_BIN_PATH = "/console/members/recycle-bin";

const VIEWS = [
  { id: "directory", label: "Directory" },
  { id: "archived", label: "Archived" },
  { id: "recycle-bin", label: "Recycle bin" },
] as const;

/**
 * The member list's views: the directory (archived members hidden), the
 * Archived view (status=archived in the URL, so it can be bookmarked like any
 * filter) and the recycle bin, a page of its own that shows the same tabs
 * (`inRecycleBin`, with no filters of its own: the other tabs open unfiltered).
 */
export function MemberListViews({ filters = EMPTY_FILTERS, inRecycleBin = false }: { filters?: TMemberListFilters; inRecycleBin?: boolean }) {
  const archived = filters.status === "archived";
  return (
    <TabBar
      label="Member views"
      tabs={VIEWS}
      active={inRecycleBin ? "recycle-bin" : archived ? "archived" : "directory"}
      hrefOf={(id) =>
        id === "recycle-bin"
          ? RECYCLE_BIN_PATH
          : memberListHref({ ...filters, status: id === "archived" ? "archived" : archived ? null : filters.status })
      }
    />
  );
}
