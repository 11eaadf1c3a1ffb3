// How an actor reads wherever one is shown (audit trail, event page, member
// timeline, receipts): a member by name, a directory as "Directory <name>"
// (its sync acted), an API token as "API token <name>", else the system.
// Directories, tokens and members are kept by id only on events (no foreign
// key), so a deleted one still reads by its id.

export type TActorColumns = {
  actorId: bigint | null;
  actorName: string | null;
  actorDirectoryId: bigint | null;
  actorDirectoryName: string | null;
  actorTokenId?: bigint | null;
  actorTokenName?: string | null;
};

export function actorLabel(actor: TActorColumns): string {
  if (actor.actorTokenId !== undefined && actor.actorTokenId !== null) {
    return actor.actorTokenName ? `API token ${actor.actorTokenName}` : `API token #${actor.actorTokenId} (deleted)`;
  }
  if (actor.actorDirectoryId !== null) {
    return actor.actorDirectoryName !== null ? `Directory ${actor.actorDirectoryName}` : `Directory #${actor.actorDirectoryId} (deleted)`;
  }
  if (actor.actorName !== null) return actor.actorName;
  return actor.actorId !== null ? `member #${actor.actorId}` : "system";
}
