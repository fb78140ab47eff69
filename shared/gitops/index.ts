/** GitOps repositories (DESIGN §7): layout, release records, plans (pure) and the git-backed writer. */
export { GitopsWriter, type GitopsTarget, type DeployRequest, type WriterOptions } from "./writer.js";
export type { WriteOutcome, QueueStats } from "./queue.js";
export type { HistoryEntry, HistoryQuery, ReleaseCommit } from "./history.js";
export type { RollbackInput, DeployInput } from "./ops.js";
export { ownedBy, releaseOwner, rollbackTarget } from "./ops.js";
export {
  releaseRecordSchema,
  envLockSchema,
  parseStoredRelease,
  serializeRelease,
  type ReleaseRecord,
  type ReleaseVersion,
  type EnvLock,
  type StoredRelease,
} from "./release.js";
export { appFolder, envFolder, releasePath, lockPath, checkRenderedFiles, type EnvLocation } from "./layout.js";
export { folderChanged, sameRelease, type FolderSnapshot } from "./plan.js";
export { blobSha, type CommitSpec, type Edit, type FileSpec, type TreeEntry } from "./objects.js";
export { deployMessage, rollbackMessage, deleteMessage, parseSubject, type CommitKind } from "./messages.js";
export { DEFAULT_IDENTITY, type GitIdentity } from "./git.js";
