import { ConfigError, Transient } from "../../shared/errors.js";

/** Where a CLI run finds its credential, in this order: a flag, the CI's OIDC token, GIMLET_TOKEN. */
export type TokenSource = "flag" | "github-actions-oidc" | "circleci-oidc" | "gitlab-oidc" | "GIMLET_TOKEN";

export interface ResolvedToken {
  source: TokenSource;
  /** The bearer token; OIDC tokens are fetched (GitHub Actions) or read on first use. */
  get(): Promise<string>;
}

export interface TokenOptions {
  /** `--token` */
  token?: string;
  /** `--auth`: auto (default), oidc (never an API token) or token (never OIDC). */
  auth?: string;
  /** The audience asked of GitHub Actions (default $GIMLET_AUDIENCE or "gimlet"); other CIs set it in their YAML. */
  audience?: string;
  /** GitLab: the `id_tokens` variable (default $GIMLET_ID_TOKEN_VAR or GIMLET_ID_TOKEN). */
  idTokenVariable?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (env: Env, name: string) => (env[name] ? env[name] : undefined);

/** GitHub Actions' token service: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with the request token → `{value}`. */
export async function fetchGitHubActionsIdToken(env: Env, audience: string): Promise<string> {
  const url = set(env, "ACTIONS_ID_TOKEN_REQUEST_URL");
  const requestToken = set(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (!url || !requestToken) throw missingIdTokenPermission();
  const target = new URL(url);
  target.searchParams.set("audience", audience);
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Transient(`could not reach the GitHub Actions token service: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (!response.ok || typeof body?.value !== "string" || body.value === "")
    throw new Transient(`the GitHub Actions token service answered ${response.status} without a token`);
  return body.value;
}

export function missingIdTokenPermission(): ConfigError {
  return ConfigError.at(
    "token",
    "no OIDC token: this job can't request one. Add `permissions: id-token: write` to the job (or the workflow), or pass an API token",
  );
}

function ciOidc(env: Env, options: TokenOptions): ResolvedToken | undefined {
  if (set(env, "GITHUB_ACTIONS") === "true" && set(env, "ACTIONS_ID_TOKEN_REQUEST_URL")) {
    const audience = options.audience ?? set(env, "GIMLET_AUDIENCE") ?? "gimlet";
    let pending: Promise<string> | undefined;
    return {
      source: "github-actions-oidc",
      get: () => {
        pending ??= fetchGitHubActionsIdToken(env, audience);
        return pending;
      },
    };
  }
  if (set(env, "CIRCLECI") === "true" && set(env, "CIRCLE_OIDC_TOKEN_V2")) {
    const token = set(env, "CIRCLE_OIDC_TOKEN_V2") as string;
    return { source: "circleci-oidc", get: async () => token };
  }
  if (set(env, "GITLAB_CI") === "true") {
    const variable = options.idTokenVariable ?? set(env, "GIMLET_ID_TOKEN_VAR") ?? "GIMLET_ID_TOKEN";
    const token = set(env, variable);
    if (token) return { source: "gitlab-oidc", get: async () => token };
  }
  return undefined;
}

/**
 * The credential of a CLI run: `--token`, else the CI's OIDC token (GitHub Actions, CircleCI, GitLab `id_tokens`),
 * else GIMLET_TOKEN. `--auth token` skips OIDC (a server that does not trust this CI's issuer); `--auth oidc` refuses
 * to fall back to a static token.
 */
export function resolveToken(env: Env, options: TokenOptions = {}): ResolvedToken {
  const auth = options.auth ?? set(env, "GIMLET_AUTH") ?? "auto";
  if (!["auto", "oidc", "token"].includes(auth))
    throw ConfigError.at("--auth", `must be auto, oidc or token, not ${JSON.stringify(auth)}`);
  if (options.token) return { source: "flag", get: async () => options.token as string };
  if (auth !== "token") {
    const oidc = ciOidc(env, options);
    if (oidc) return oidc;
    if (auth === "oidc") {
      if (set(env, "GITHUB_ACTIONS") === "true") throw missingIdTokenPermission();
      throw ConfigError.at(
        "--auth",
        set(env, "GITLAB_CI") === "true"
          ? `no OIDC token: declare \`id_tokens: ${options.idTokenVariable ?? set(env, "GIMLET_ID_TOKEN_VAR") ?? "GIMLET_ID_TOKEN"}: {aud: <the server's audience>}\` in the job`
          : "no OIDC token in this environment (GitHub Actions, CircleCI or GitLab CI)",
      );
    }
  }
  const token = set(env, "GIMLET_TOKEN");
  if (token) return { source: "GIMLET_TOKEN", get: async () => token };
  // Outside a CI that gives OIDC tokens, an API token is the only way; inside one, the errors above say what to add.
  throw ConfigError.at("--token", "required: an API token (or set GIMLET_TOKEN)");
}
