import type { Conversation } from "../../shared/commands/index.js";
import type { GimletConfig } from "../../shared/config/index.js";
import type { Clock } from "../../shared/ports.js";
import { Refusal } from "./outcome.js";

const WRITE_PERMISSIONS = new Set(["admin", "maintain", "write"]);
/** Team membership answers are kept this long, so a burst of commands costs one lookup per team and user. */
export const TEAM_CACHE_MS = 60_000;

const teamCaches = new WeakMap<Conversation, Map<string, { member: Promise<boolean>; expires: number }>>();

/** Is `login` an active member of `org/team`? Cached briefly per conversation (one per process). */
export function isTeamMemberCached(
  conversation: Conversation,
  clock: Clock,
  team: string,
  login: string,
  repository: string,
): Promise<boolean> {
  const cache = teamCaches.get(conversation) ?? new Map<string, { member: Promise<boolean>; expires: number }>();
  teamCaches.set(conversation, cache);
  const key = `${team.toLowerCase()}\0${login.toLowerCase()}`;
  const now = clock.now().getTime();
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.member;
  const [org = "", slug = ""] = team.split("/");
  const member = conversation.isTeamMember(org, slug, login, repository);
  cache.set(key, { member, expires: now + TEAM_CACHE_MS });
  member.catch(() => cache.delete(key));
  if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
  return member;
}

/** Is `login` one of the env's `deployers` (a login, or a member of a listed `org/team`)? */
export async function isDeployer(
  conversation: Conversation,
  clock: Clock,
  deployers: readonly string[],
  login: string,
  repository: string,
): Promise<boolean> {
  const lower = login.toLowerCase();
  if (deployers.some((d) => !d.includes("/") && d.toLowerCase() === lower)) return true;
  for (const team of deployers.filter((d) => d.includes("/"))) {
    if (await isTeamMemberCached(conversation, clock, team, login, repository)) return true;
  }
  return false;
}

/**
 * Who may change an env by command or button (DESIGN §8): where the env names `deployers`, one of them (write
 * access alone is then not enough); elsewhere write, maintain or admin on the repository.
 */
export async function authorizeEnvChange(
  conversation: Conversation,
  clock: Clock,
  config: GimletConfig,
  env: string,
  login: string,
  repository: string,
): Promise<void> {
  const deployers = config.environments[env]?.deployers ?? [];
  if (deployers.length) {
    if (await isDeployer(conversation, clock, deployers, login, repository)) return;
    throw new Refusal(
      "not_a_deployer",
      `environment \`${env}\` names its deployers (${deployers.map((d) => `\`${d}\``).join(", ")}); @${login} is not one of them`,
    );
  }
  const permission = await conversation.permissionOf(repository, login);
  if (WRITE_PERMISSIONS.has(permission)) return;
  throw new Refusal(
    "no_permission",
    `@${login} has ${permission === "none" ? "no" : `\`${permission}\``} access to ${repository}; changing \`${env}\` needs write, maintain or admin`,
  );
}
