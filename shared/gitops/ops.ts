import { ConfigError, Conflict, PolicyDenied } from "../errors.js";
import type { ReasonCode } from "../outcomes.js";
import type { Clock } from "../ports.js";
import type { RenderedFile } from "../render/types.js";
import type { WorkClone } from "./clone.js";
import { type HistoryEntry, readHistory } from "./history.js";
import { appFolder, checkRenderedFiles, type EnvLocation, lockPath, RELEASE_FILE } from "./layout.js";
import { deleteMessage, deployMessage, lockMessage, rollbackMessage, unlockMessage } from "./messages.js";
import type { CommitSpec, FileSpec } from "./objects.js";
import { fileChanged, fileSpec, folderChanged, sameLock } from "./plan.js";
import {
  checkReleaseRecord,
  parseLock,
  parseStoredRelease,
  type ReleaseRecord,
  serializeLock,
  serializeRelease,
} from "./release.js";

/**
 * One queued write. `apply` plans it against the folder at `head` and returns the commit to make, or
 * undefined when the folder already holds it. `paths` are the repository paths it writes (writes of the
 * same batch that touch overlapping paths are planned one after the other's commit exists).
 */
export interface WriteOp {
  env: string;
  app: string;
  paths: string[];
  /** Reads the app's history (a rollback), so it must see every earlier write of its batch. */
  readsHistory: boolean;
  apply(clone: WorkClone, head: string): Promise<CommitSpec | undefined>;
  reasonCode(changed: boolean): ReasonCode;
  /** Extra outcome fields (a rollback's target), known after `apply`. */
  extra(): Record<string, unknown>;
}

/** What the queue knows of a write besides its plan: whose it is and which paths it writes. */
function writeTarget(env: string, app: string, paths: string[], readsHistory = false) {
  return { env, app, paths, readsHistory };
}

/** The reason codes of a write's outcome: one when it made a commit, one when nothing changed. */
function reasonCodes(changed: ReasonCode, unchanged: ReasonCode): Pick<WriteOp, "reasonCode" | "extra"> {
  return { reasonCode: (made) => (made ? changed : unchanged), extra: () => ({}) };
}

export interface DeployInput extends EnvLocation {
  app: string;
  files: RenderedFile[];
  release: Omit<ReleaseRecord, "app" | "env" | "created"> & { created?: string };
  actor?: string;
  /**
   * A policy deploy: refused when the env is locked or the app pinned by a rollback. Checked here, at the head of
   * the write queue, so a rollback or a lock that lands just before it wins.
   */
  policy?: boolean;
}

/** What a release record or history entry says about where it came from. */
interface Provenance {
  version?: { repositoryName?: unknown };
  deployment?: { repository?: string };
}

/** The app repository (lowercased) a release record or history entry came from, if it says. */
export function releaseOwner(release: Provenance | undefined): string | undefined {
  const named = release?.version?.repositoryName ?? release?.deployment?.repository;
  return typeof named === "string" && named ? named.toLowerCase() : undefined;
}

/** Is the release this repository's? One that names no repository (an old Gimlet record) belongs to anyone. */
export function ownedBy(release: Provenance, repository: string): boolean {
  const owner = releaseOwner(release);
  return owner === undefined || owner === repository.toLowerCase();
}

/**
 * An app folder belongs to the repository that released it: another repository releasing an app of the same name
 * into the same env (easy with an org-wide .github/gimlet.yml) is refused instead of overwriting it.
 */
export function checkOwner(current: string | undefined, incoming: string | undefined, where: string): void {
  if (current && incoming && current !== incoming) {
    throw new Conflict(
      `${where} is released from ${current}; ${incoming} can't release or roll back an app of the same name there (rename the app)`,
    );
  }
}

/** Checked before queueing, so a bad name never reaches the file system or git. */
export function deployOp(input: DeployInput, clock: Clock): WriteOp {
  const folder = appFolder(input, input.app);
  checkRenderedFiles(input.files);
  const { rollback: _r, pinned: _p, ...rest } = input.release;
  const release = checkReleaseRecord({
    ...rest,
    app: input.app,
    env: input.env,
    created: input.release.created ?? clock.now().toISOString(),
  });
  const desired = [
    ...input.files.map((f) => fileSpec(f.path, f.content)),
    fileSpec(RELEASE_FILE, serializeRelease(release)),
  ];
  return {
    // A policy deploy reads the env lock: a lock queued before it in the same batch must be written first.
    ...writeTarget(input.env, input.app, input.policy ? [folder, lockPath(input)] : [folder]),
    async apply(clone, head) {
      const current = await clone.readFolder(head, folder);
      const stored =
        current.release === undefined
          ? undefined
          : parseStoredRelease(current.release, { app: input.app, env: input.env });
      checkOwner(releaseOwner(stored), releaseOwner(release), `${input.env}/${input.app}`);
      if (input.policy) {
        const lockText = await clone.readFile(head, lockPath(input));
        const lock = lockText === undefined ? undefined : parseLock(lockText);
        if (lock)
          throw new PolicyDenied(
            `environment ${input.env} is locked by ${lock.by}${lock.reason ? `: ${lock.reason}` : ""}`,
            "locked",
          );
        if (stored?.pinned)
          throw new PolicyDenied(
            `${input.env}/${input.app} is pinned by a rollback${stored.rollback?.of ? ` to ${stored.rollback.of.slice(0, 7)}` : ""}; an explicit deploy unpins it`,
            "pinned",
          );
      }
      if (!folderChanged(current, desired)) return undefined;
      return {
        message: deployMessage(release, input.actor),
        edits: [{ kind: "folder", path: folder, files: desired }],
      };
    },
    ...reasonCodes("deployed", "already_deployed"),
  };
}

export function removeOp(input: EnvLocation & { app: string; reason: string; actor?: string }, _clock: Clock): WriteOp {
  const folder = appFolder(input, input.app);
  return {
    ...writeTarget(input.env, input.app, [folder]),
    async apply(clone, head) {
      if (!folderChanged(await clone.readFolder(head, folder), [])) return undefined;
      return {
        message: deleteMessage(input.env, input.app, input.reason, input.actor),
        edits: [{ kind: "folder", path: folder, files: [] }],
      };
    },
    ...reasonCodes("deleted", "not_deployed"),
  };
}

export function lockOp(input: EnvLocation & { by: string; reason?: string; source?: string }, clock: Clock): WriteOp {
  const file = lockPath(input);
  const content = serializeLock({
    by: input.by,
    reason: input.reason,
    created: clock.now().toISOString(),
    source: input.source,
  });
  return {
    ...writeTarget(input.env, "", [file]),
    async apply(clone, head) {
      if (!fileChanged(await clone.readFile(head, file), content, sameLock)) return undefined;
      return {
        message: lockMessage(input.env, input.by, input.reason),
        edits: [{ kind: "file", path: file, content }],
      };
    },
    ...reasonCodes("locked", "already_locked"),
  };
}

export function unlockOp(input: EnvLocation & { by: string }, _clock: Clock): WriteOp {
  const file = lockPath(input);
  return {
    ...writeTarget(input.env, "", [file]),
    async apply(clone, head) {
      if ((await clone.readFile(head, file)) === undefined) return undefined;
      return { message: unlockMessage(input.env, input.by), edits: [{ kind: "file", path: file, content: undefined }] };
    },
    ...reasonCodes("unlocked", "not_locked"),
  };
}

export interface RollbackInput extends EnvLocation {
  app: string;
  /** The deploy commit to restore (a sha prefix); default the release before the current one. */
  to?: string;
  actor: string;
  /** The GitHub Deployment of the rollback itself (release.json + trailer); the old one is not carried over. */
  deployment?: ReleaseRecord["deployment"];
  /** The app repository asking; refused when the folder belongs to another one. */
  owner?: string;
}

export function rollbackOp(input: RollbackInput, clock: Clock): WriteOp {
  const folder = appFolder(input, input.app);
  const where = `${input.env}/${input.app}`;
  if (input.to !== undefined && !/^[0-9a-f]{4,64}$/i.test(input.to)) {
    throw ConfigError.at("to", `${JSON.stringify(input.to)} is not a commit sha`);
  }
  let rolledBackTo = "";
  return {
    ...writeTarget(input.env, input.app, [folder], true),
    async apply(clone, head) {
      const entries = await readHistory(clone.dir, head, { env: input.env, path: input.path, app: input.app });
      const target = rollbackTarget(entries, where, input.to);
      rolledBackTo = target.gitopsSha;
      const [old, current] = await Promise.all([
        clone.readFolder(target.gitopsSha, folder),
        clone.readFolder(head, folder),
      ]);
      const stored =
        old.release === undefined ? undefined : parseStoredRelease(old.release, { app: input.app, env: input.env });
      if (!stored) throw new ConfigError(`no release ${target.gitopsSha} for ${where}: its release.json is unreadable`);
      const live =
        current.release === undefined
          ? undefined
          : parseStoredRelease(current.release, { app: input.app, env: input.env });
      checkOwner(releaseOwner(live), input.owner?.toLowerCase(), where);
      // ...and the release restored must be the caller's too (the folder may have been deleted and reused)
      checkOwner(releaseOwner(stored), input.owner?.toLowerCase(), `${where} at ${target.gitopsSha.slice(0, 7)}`);
      const release: ReleaseRecord = {
        ...stored,
        app: input.app,
        env: input.env,
        deployment: input.deployment,
        triggeredBy: input.actor,
        created: clock.now().toISOString(),
        rollback: { of: target.gitopsSha },
        pinned: true,
      };
      // The old folder's files as they were (by blob id), and a new release.json.
      const files: FileSpec[] = [...old.entries]
        .filter(([name, e]) => name !== RELEASE_FILE && BLOB_MODES.has(e.mode))
        .map(([name, e]) => ({ name, mode: e.mode, sha: e.sha }));
      files.push(fileSpec(RELEASE_FILE, serializeRelease(release)));
      if (!folderChanged(current, files)) return undefined;
      return {
        message: rollbackMessage(release, target.gitopsSha, input.actor),
        edits: [{ kind: "folder", path: folder, files }],
      };
    },
    ...reasonCodes("rolled_back", "already_rolled_back"),
    extra: () => ({ rolledBackTo }),
  };
}

const BLOB_MODES = new Set(["100644", "100755", "120000"]);

/** The release live now (a rollback's target, or the newest deploy), then the newest live deploy before it. */
/** The release a rollback restores: the deploy `to` names, or the one before the release live now. ConfigError if none. */
export function rollbackTarget(entries: HistoryEntry[], where: string, to?: string): HistoryEntry {
  return to === undefined ? previousRelease(entries, where) : namedRelease(entries, to, where);
}

function previousRelease(entries: HistoryEntry[], where: string): HistoryEntry {
  const newest = entries[0];
  if (!newest || newest.type === "delete") throw new ConfigError(`no current release of ${where} to roll back`);
  const liveSha = newest.type === "rollback" && newest.rollbackOf ? newest.rollbackOf : newest.gitopsSha;
  const live = entries.findIndex((e) => e.gitopsSha === liveSha);
  const target = entries.slice(live + 1).find((e) => e.type === "deploy" && !e.rolledBack);
  if (live < 0 || !target) throw new ConfigError(`no release before the current one of ${where} to roll back to`);
  return target;
}

function namedRelease(entries: HistoryEntry[], to: string, where: string): HistoryEntry {
  const sha = to.toLowerCase();
  const [match, ...others] = entries.filter((e) => e.type === "deploy" && e.gitopsSha.startsWith(sha));
  if (!match || others.length > 0) {
    throw ConfigError.of([
      { path: "to", message: `no release ${to} for ${where}${others.length > 0 ? " (ambiguous sha)" : ""}` },
    ]);
  }
  return match;
}
