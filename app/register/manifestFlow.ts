import { chmodSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { load } from "js-yaml";
import { z } from "zod";
import { ConfigError, Transient } from "../../shared/errors.js";
import { parseWith } from "../../shared/validation.js";

/** Where Probot's server receives webhooks (its default `webhookPath`). */
export const WEBHOOK_PATH = "/api/github/webhooks";

export interface RegistrationOptions {
  /** The public https URL the app will run at; GitHub sends webhooks to `<url>/api/github/webhooks`. */
  publicUrl: string;
  /** Register the app under this organisation instead of the signed-in user. */
  org?: string;
  /** The text of app.yml: name, description, permissions, events. */
  appYml: string;
  /** Where `.env` and the private key are written. */
  dir: string;
  port?: number;
  /** https://github.com, or a GitHub Enterprise Server URL. */
  webUrl?: string;
  /** https://api.github.com, or `<GHES>/api/v3`. */
  apiUrl?: string;
  log?: (line: string) => void;
}

export interface Registration {
  /** Open this in a browser: it posts the manifest to GitHub. */
  url: string;
  /** Resolves with the app's page once GitHub handed back its credentials and they are written. */
  done: Promise<{ htmlUrl: string; envFile: string; keyFile: string }>;
  close(): Promise<void>;
}

const appYmlSchema = z.looseObject({
  name: z.string().min(1),
  default_permissions: z.record(z.string(), z.string()),
  default_events: z.array(z.string()),
});

const conversionSchema = z.looseObject({
  id: z.number(),
  slug: z.string().optional(),
  html_url: z.string(),
  pem: z.string().min(1),
  webhook_secret: z.string().min(1),
});

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The GitHub App manifest: app.yml with the public URLs filled in (GitHub's manifest flow). */
export function appManifest(options: RegistrationOptions, redirectUrl: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = load(options.appYml);
  } catch (error) {
    throw ConfigError.at("app.yml", `not valid YAML: ${(error as Error).message}`);
  }
  const appYml = parseWith(appYmlSchema, parsed, "app.yml");
  const base = options.publicUrl.replace(/\/+$/, "");
  return {
    ...appYml,
    url: base,
    hook_attributes: { url: `${base}${WEBHOOK_PATH}`, active: true },
    redirect_url: redirectUrl,
    public: false,
  };
}

/**
 * GitHub's manifest flow on loopback: a page that posts the manifest to GitHub; GitHub creates the app and sends the
 * browser back with a one-time code; the code is exchanged for the app's id, private key and webhook secret, which
 * are written to `.env` (and the key to its own file, mode 0600) for `node --env-file=.env dist/app/index.js`.
 */
export async function startRegistration(options: RegistrationOptions): Promise<Registration> {
  const publicUrl = options.publicUrl;
  if (!/^https?:\/\/[^/]+/.test(publicUrl))
    throw ConfigError.at("--url", "required: the public URL the app will run at, e.g. https://gimlet.acme.dev");
  const webUrl = (options.webUrl ?? "https://github.com").replace(/\/+$/, "");
  const apiUrl = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const log = options.log ?? (() => undefined);
  let settle!: { resolve: (value: Awaited<Registration["done"]>) => void; reject: (error: Error) => void };
  const done = new Promise<Awaited<Registration["done"]>>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let manifest = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/") {
      const target = options.org
        ? `${webUrl}/organizations/${encodeURIComponent(options.org)}/settings/apps/new`
        : `${webUrl}/settings/apps/new`;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
        `<!doctype html><meta charset="utf-8"><title>Register Gimlet</title>
<form action="${escapeHtml(target)}" method="post">
<p>Register the GitHub App${options.org ? ` for ${escapeHtml(options.org)}` : ""}; webhooks go to ${escapeHtml(`${publicUrl.replace(/\/+$/, "")}${WEBHOOK_PATH}`)}.</p>
<input type="hidden" name="manifest" value="${escapeHtml(manifest)}">
<button type="submit">Create the GitHub App on GitHub</button>
</form>`,
      );
      return;
    }
    if (req.method === "GET" && url.pathname === "/callback") {
      const code = url.searchParams.get("code");
      if (!code || !/^[A-Za-z0-9_-]+$/.test(code)) {
        res.writeHead(400, { "content-type": "text/plain" }).end("missing or malformed code");
        return;
      }
      exchange(apiUrl, code, options.dir).then(
        (result) => {
          res.writeHead(302, { location: `${result.htmlUrl}/installations/new` }).end();
          log(`registered ${result.htmlUrl}; credentials in ${result.envFile} and ${result.keyFile}`);
          settle.resolve(result);
        },
        (error: Error) => {
          res.writeHead(502, { "content-type": "text/plain" }).end(error.message);
          settle.reject(error);
        },
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const local = `http://localhost:${port}`;
  manifest = JSON.stringify(appManifest(options, `${local}/callback`));
  return {
    url: `${local}/`,
    done,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** POST /app-manifests/{code}/conversions (no authentication: the code is the credential, valid for one hour). */
async function exchange(apiUrl: string, code: string, dir: string) {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/app-manifests/${code}/conversions`, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Transient(`could not reach ${apiUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Transient(`GitHub refused the code (HTTP ${response.status}); start again`);
  const app = parseWith(conversionSchema, await response.json(), "GitHub's answer");
  const keyFile = join(dir, "gimlet-app.private-key.pem");
  const envFile = join(dir, ".env");
  writeFileSync(keyFile, app.pem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(
    envFile,
    `# The GitHub App ${app.slug ?? app.id}, registered by npm run register. Keep this file and the key secret.\n` +
      `APP_ID=${app.id}\nPRIVATE_KEY_PATH=${keyFile}\nWEBHOOK_SECRET=${app.webhook_secret}\n`,
    { mode: 0o600 },
  );
  chmodSync(envFile, 0o600);
  return { htmlUrl: app.html_url, envFile, keyFile };
}
