export { COMMAND_KINDS, COMMAND_USAGE, type Command, type CommandKind, parseCommand } from "./parse.js";
export type { Conversation, IssueComment, Permission, PullRequestInfo, ReactionContent } from "./ports.js";
