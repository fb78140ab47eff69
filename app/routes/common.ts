import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import type { GimletConfig } from "../../shared/config/index.js";
import { checkRepository } from "../../shared/config/index.js";
import { PolicyDenied } from "../../shared/errors.js";
import { parseWith } from "../../shared/validation.js";
import { authenticate, authorizeEnvironment, authorizeRepository, type CallerIdentity } from "../auth/index.js";
import { parseJson, readBody } from "../http/body.js";
import { HttpError } from "../http/errors.js";
import type { AppServices } from "../services.js";

export const JSON_LIMIT = 1024 * 1024;

export async function callerOf(services: AppServices, req: IncomingMessage): Promise<CallerIdentity> {
  return authenticate(req.headers.authorization, services.auth);
}

export async function jsonBody(req: IncomingMessage, maxDepth?: number): Promise<unknown> {
  return parseJson(await readBody(req, JSON_LIMIT), maxDepth);
}

/** The repository a request acts for: the one it names, else the OIDC token's own; always authorized. */
export function repositoryFor(caller: CallerIdentity, named: unknown): string {
  const repository =
    typeof named === "string" && named ? named : caller.kind === "oidc" ? caller.repository : undefined;
  if (!repository)
    throw new HttpError(400, "config_invalid", "repository: required (owner/repo) with an API token", [
      { path: "repository", message: "required: owner/repo" },
    ]);
  authorizeRepository(caller, repository);
  return repository;
}

export function positiveInt(value: string | null, name: string, fallback: number, max: number): number {
  if (value === null || value === "") return fallback;
  if (!/^[1-9][0-9]*$/.test(value))
    throw new HttpError(400, "config_invalid", `${name}: must be a positive whole number`, [
      { path: name, message: "must be a positive whole number" },
    ]);
  return Math.min(Number(value), max);
}

export function actorOf(caller: CallerIdentity): string {
  return caller.kind === "oidc"
    ? (caller.actor ?? `${caller.issuerKind}:${caller.repository}`)
    : `token:${caller.name}`;
}

/** May `caller` release to `env` at all: an API token's `environments`, then the env's `deployers`. */
export function authorizeRelease(config: GimletConfig, env: string, caller: CallerIdentity): void {
  authorizeEnvironment(caller, env);
  authorizeDeployer(config, env, caller);
}

/**
 * An env that names its `deployers` is released to by them only. An OIDC caller's actor must be listed by login
 * (team membership is checked by comment commands, which can ask GitHub); an API token is issued by an operator.
 */
export function authorizeDeployer(config: GimletConfig, env: string, caller: CallerIdentity): void {
  const deployers = config.environments[env]?.deployers ?? [];
  if (!deployers.length || caller.kind === "token") return;
  const actor = caller.actor?.toLowerCase();
  if (actor && deployers.some((d) => d.toLowerCase() === actor)) return;
  throw new HttpError(
    403,
    "forbidden",
    `environment ${env} names its deployers (${deployers.join(", ")}); ${caller.actor ?? "this job"} is not one of them`,
  );
}

/**
 * The start of every env-scoped write (release, rollback): who calls, the validated body, the repository they act
 * for (authorized), its config, and the env's deployers.
 */
export async function authorizedEnvRequest<B extends { env: string; repository?: string }>(
  services: AppServices,
  req: IncomingMessage,
  schema: z.ZodType<B>,
) {
  const caller = await callerOf(services, req);
  const body = parseWith(schema, await jsonBody(req, services.limits.jsonMaxDepth));
  const repository = repositoryFor(caller, body.repository);
  const config = await services.configs.get(repository);
  authorizeRelease(config, body.env, caller);
  // An env the organisation keeps for other repositories refuses releases and rollbacks too (DESIGN §7).
  const env = config.environments[body.env];
  const refusal = env ? checkRepository(env, body.env, repository) : undefined;
  if (refusal) throw new PolicyDenied(refusal.reason, refusal.reasonCode);
  return { caller, body, repository, config };
}
