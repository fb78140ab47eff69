import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDotenv } from "../../shared/artifact/dotenv.js";

export const ciEnvDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "ci-env");
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const exampleApp = join(repoRoot, "examples", "shop");

/** A realistic CI environment from test/fixtures/ci-env, with GITHUB_EVENT_PATH made absolute and its payload parsed. */
export function loadCiEnv(name: string): { env: Record<string, string>; event?: unknown } {
  const env = parseDotenv(readFileSync(join(ciEnvDir, `${name}.env`), "utf8"), `${name}.env`);
  if (env.GITHUB_EVENT_PATH) {
    env.GITHUB_EVENT_PATH = join(ciEnvDir, env.GITHUB_EVENT_PATH);
    return { env, event: JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) };
  }
  return { env };
}

/** Every value in a CI env file that must never reach an artifact. */
export function secretValues(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name]) => /TOKEN|SECRET|PASSWORD|ACCESS_KEY|OIDC/i.test(name))
    .map(([, value]) => value);
}
