// The department tree as select options, indented by depth (the Departed department cannot hold mirrored ones).

type TNode = { id: string; name: string; kind: string; children: TNode[] };

export function departmentOptions(tree: readonly TNode[], keep: string | null): { value: string; label: string }[] {
  const options: { value: string; label: string }[] = [];
  const walk = (nodes: readonly TNode[], depth: number) => {
    for (const node of nodes) {
      if (node.kind === "departed") continue;
      options.push({ value: node.id, label: `${"\u2003".repeat(depth)}${node.name}` });
      walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  // Before the tree loads (or for a reader), the saved choice still shows.
  if (keep && !options.some((option) => option.value === keep)) options.push({ value: keep, label: `Department #${keep}` });
  return options;
}
