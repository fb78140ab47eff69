export { GitHubConversation } from "./conversation.js";
export { ForgePermissionError } from "./errors.js";
export { GIMLET_CONFIG_PATH, GitHubForge, type GitHubForgeOptions } from "./forge.js";
export { CHECK_OUTPUT_LIMIT, STATUS_DESCRIPTION_LIMIT, TRUNCATED_MARKER, truncate } from "./limits.js";
export { installationOctokitFactory, type OctokitFor, type OctokitLike, splitRepository } from "./octokit.js";
export { GitHubGitopsRemote, type GitHubGitopsRemoteOptions } from "./remote.js";
