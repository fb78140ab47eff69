export { GitHubForge, GIMLET_CONFIG_PATH, type GitHubForgeOptions } from "./forge.js";
export { GitHubGitopsRemote, type GitHubGitopsRemoteOptions } from "./remote.js";
export { installationOctokitFactory, splitRepository, type OctokitFor, type OctokitLike } from "./octokit.js";
export { ForgePermissionError } from "./errors.js";
export { CHECK_OUTPUT_LIMIT, STATUS_DESCRIPTION_LIMIT, TRUNCATED_MARKER, truncate } from "./limits.js";
