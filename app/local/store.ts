import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Serial queues by key, shared by every store of the process (two stores on one root take turns too). */
const queues = new Map<string, Promise<unknown>>();

/** Run `fn` after every earlier `fn` of the same key has settled. */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Files under one root folder: reads, atomic writes (temp file in `<root>/.tmp`, fsync, rename, so a crash
 * leaves the old file or the new one, never half of one), listings and increasing ids. Paths are relative
 * to the root and may not leave it. Serialization holds within one process; two processes on one root are
 * not supported.
 */
export class FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The absolute path of `segments` under the root; refuses absolute paths and `..` that would leave it. */
  path(...segments: string[]): string {
    const full = resolve(this.root, ...segments);
    const rel = relative(this.root, full);
    if (segments.some((s) => isAbsolute(s)) || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new Error(`path leaves the local store: ${segments.join("/")}`);
    }
    return full;
  }

  async readText(rel: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(rel), "utf8");
    } catch (error) {
      if (isMissing(error) || (error as { code?: string }).code === "EISDIR") return undefined;
      throw error;
    }
  }

  async readJson<T>(rel: string): Promise<T | undefined> {
    const text = await this.readText(rel);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async writeText(rel: string, text: string): Promise<void> {
    const target = this.path(rel);
    const tmpDir = this.path(".tmp");
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${process.pid}-${randomBytes(6).toString("hex")}`);
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async writeJson(rel: string, value: unknown): Promise<void> {
    await this.writeText(rel, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Names directly in a folder, sorted; [] when it is missing. */
  async list(rel: string): Promise<string[]> {
    try {
      return (await readdir(this.path(rel))).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Every file under a folder, as paths relative to that folder (`/`-separated), sorted; [] when missing. */
  async walk(rel: string): Promise<string[]> {
    const base = this.path(rel);
    const out: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await visit(full);
        else if (entry.isFile()) out.push(relative(base, full).split(sep).join("/"));
      }
    };
    await visit(base);
    return out.sort();
  }

  /**
   * Create an empty file unless it exists: true for the one caller that created it, across processes sharing the
   * root (a claim, as GitHub's create-once refs are in GitHub mode).
   */
  async createOnce(rel: string): Promise<boolean> {
    const file = this.path(rel);
    await mkdir(dirname(file), { recursive: true });
    try {
      await (await open(file, "wx")).close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  }

  async remove(rel: string): Promise<void> {
    await rm(this.path(rel), { force: true });
  }

  /** Run `fn` alone among the callers of the same key on this root. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return serialized(`${this.root}\0${key}`, fn);
  }

  /** The next id of a sequence (1, 2, ...), persisted in `ids.json` so a restarted process continues it. */
  nextId(sequence: string): Promise<number> {
    return this.exclusive("ids.json", async () => {
      const ids = (await this.readJson<Record<string, number>>("ids.json")) ?? {};
      const next = (ids[sequence] ?? 0) + 1;
      await this.writeJson("ids.json", { ...ids, [sequence]: next });
      return next;
    });
  }
}
