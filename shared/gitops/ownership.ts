import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * Who may write a warm clone. git's lock files (`refs/gimlet/work.lock`, `packed-refs.lock`, ...) don't say which
 * process made them, so a clone carries an owner file naming the writer that uses it: a process id, its host, and a
 * random token per writer. The rule (docs/limits.md, "crash recovery"):
 * - a clone belongs to one live writer; another writer (another process sharing the work dir by mistake, or another
 *   writer in the same process) never touches it, and uses a clone of its own next to it (`<dir>.alt-<n>`);
 * - the owner is gone when its process no longer exists on this host, or, for an owner on another host (a shared
 *   volume), when its heartbeat is older than any write can take (OWNER_STALE_MS); a gone owner's clone is taken over;
 * - in its own turn (no git process of its own running on the clone), the owner clears every lock file it finds: any
 *   lock there was left by a process that died (SIGKILL, OOM, power loss) mid fast-import, push, fetch or gc.
 */
export const OWNER_FILE = "gimlet-owner.json";
/** Longer than any write can take (git's own timeout in the writer is 2 minutes); heartbeats come every minute. */
export const OWNER_STALE_MS = 10 * 60_000;

interface OwnerRecord {
  pid: number;
  host: string;
  token: string;
}

export function newOwnerToken(): string {
  return randomBytes(12).toString("hex");
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(dir: string): Promise<{ owner?: OwnerRecord; ageMs: number } | undefined> {
  const path = join(dir, OWNER_FILE);
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    const parsed = JSON.parse(text) as Partial<OwnerRecord>;
    const owner =
      typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.token === "string"
        ? (parsed as OwnerRecord)
        : undefined;
    return { owner, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { ageMs: Number.POSITIVE_INFINITY }; // unreadable or half-written: nobody's
  }
}

function ownerGone(record: { owner?: OwnerRecord; ageMs: number }): boolean {
  const owner = record.owner;
  if (!owner) return true;
  if (owner.host === hostname()) return !processAlive(owner.pid);
  return record.ageMs > OWNER_STALE_MS;
}

/**
 * Claim `dir` for the writer holding `token`: true when it is (now) ours, false when another live writer owns it.
 * Written to a temporary file and renamed, then read back, so two claimants racing for a gone owner's clone both
 * see who won.
 */
export async function claimClone(dir: string, token: string): Promise<boolean> {
  const current = await readOwner(dir);
  if (current?.owner?.token === token) return true;
  if (current && !ownerGone(current)) return false;
  const mine: OwnerRecord = { pid: process.pid, host: hostname(), token };
  const temp = join(dir, `${OWNER_FILE}.${token}.tmp`);
  await writeFile(temp, JSON.stringify(mine));
  await rename(temp, join(dir, OWNER_FILE));
  return (await readOwner(dir))?.owner?.token === token;
}

const lastBeat = new Map<string, number>();
const BEAT_EVERY_MS = 60_000;

/**
 * Still ours? (Another host may have taken an idle clone over; the loser moves to another clone.) One small read per
 * turn; the heartbeat (the file's mtime) is touched at most once a minute.
 */
export async function stillOwned(dir: string, token: string): Promise<boolean> {
  const path = join(dir, OWNER_FILE);
  let owner: Partial<OwnerRecord>;
  try {
    owner = JSON.parse(await readFile(path, "utf8")) as Partial<OwnerRecord>;
  } catch {
    return false;
  }
  if (owner.token !== token) return false;
  const now = Date.now();
  if (now - (lastBeat.get(path) ?? 0) >= BEAT_EVERY_MS) {
    lastBeat.set(path, now);
    await utimes(path, new Date(now), new Date(now)).catch(() => undefined);
  }
  return true;
}

/** Give the clone up (on close), so the next writer needn't wait for anything. */
export async function releaseClone(dir: string, token: string): Promise<void> {
  if ((await readOwner(dir))?.owner?.token === token) await rm(join(dir, OWNER_FILE), { force: true });
}

// Where git leaves lock files in a bare repository: beside HEAD/config/packed-refs/shallow/index, under refs/ (any
// depth), and objects/info (commit-graph, packs list).
const LOCK_FOLDERS = ["refs", "objects/info", "logs"];

/** Remove every `*.lock` (and gc.pid) in the clone; returns what was removed, relative to `dir`. Call only as owner, in its turn. */
export async function clearLockFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (relative: string, recursive: boolean): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(join(dir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (recursive) await sweep(path, true);
      } else if (entry.name.endsWith(".lock") || (relative === "" && entry.name === "gc.pid")) {
        await rm(join(dir, path), { force: true });
        removed.push(path);
      }
    }
  };
  await sweep("", false);
  for (const folder of LOCK_FOLDERS) await sweep(folder, true);
  return removed;
}
