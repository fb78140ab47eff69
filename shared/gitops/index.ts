/** GitOps repositories (DESIGN §7): layout, release records, plans (pure) and the git-backed writer. */

export { DEFAULT_IDENTITY, type GitIdentity } from "./git.js";
export type { HistoryEntry, HistoryQuery, ReleaseCommit } from "./history.js";
export { appFolder, checkRenderedFiles, type EnvLocation, envFolder, lockPath, releasePath } from "./layout.js";
export { type CommitKind, deleteMessage, deployMessage, parseSubject, rollbackMessage } from "./messages.js";
export { blobSha, type CommitSpec, type Edit, type FileSpec, type TreeEntry } from "./objects.js";
export type { DeployInput, RollbackInput } from "./ops.js";
export { ownedBy, releaseOwner, rollbackTarget } from "./ops.js";
export { type FolderSnapshot, folderChanged, sameRelease } from "./plan.js";
export type { QueueStats, WriteOutcome } from "./queue.js";
export {
  type EnvLock,
  envLockSchema,
  parseStoredRelease,
  type ReleaseRecord,
  type ReleaseVersion,
  releaseRecordSchema,
  type StoredRelease,
  serializeRelease,
} from "./release.js";
export { type DeployRequest, type GitopsTarget, GitopsWriter, type WriterOptions } from "./writer.js";
