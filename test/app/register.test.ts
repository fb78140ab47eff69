import { readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { startRegistration, WEBHOOK_PATH } from "../../app/register/manifestFlow.js";
import { repoRoot } from "../helpers/ciEnv.js";
import { tempDir } from "../helpers/gitRepos.js";

const appYml = readFileSync(join(repoRoot, "app.yml"), "utf8");
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIfake\n-----END RSA PRIVATE KEY-----\n";

let fakeApi: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (fakeApi ? fakeApi.close(() => resolve()) : resolve())));

/** GitHub's POST /app-manifests/{code}/conversions, answering for one code. */
async function startFakeApi(seen: string[]): Promise<string> {
  fakeApi = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.method === "POST" && req.url === "/app-manifests/c0de/conversions") {
      res.writeHead(201, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: 4242,
          slug: "gimlet-acme",
          html_url: "https://github.com/apps/gimlet-acme",
          pem: PEM,
          webhook_secret: "whsec",
          client_id: "Iv1.x",
          client_secret: "cs",
        }),
      );
    } else res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => fakeApi?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(fakeApi.address() as { port: number }).port}`;
}

describe("npm run register: GitHub's manifest flow", () => {
  test("the page posts app.yml's manifest with the public webhook URL; the code becomes .env and a 0600 key", async () => {
    const seen: string[] = [];
    const apiUrl = await startFakeApi(seen);
    const dir = tempDir("gimlet-register-");
    const registration = await startRegistration({
      publicUrl: "https://gimlet.acme.dev/",
      org: "acme",
      appYml,
      dir,
      port: 0,
      apiUrl,
    });
    try {
      const page = await (await fetch(registration.url)).text();
      expect(page).toContain('action="https://github.com/organizations/acme/settings/apps/new" method="post"');
      const encoded = /name="manifest" value="([^"]*)"/.exec(page)?.[1] ?? "";
      const manifest = JSON.parse(
        encoded
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&"),
      );
      expect(manifest).toMatchObject({
        name: "Gimlet",
        url: "https://gimlet.acme.dev",
        hook_attributes: { url: `https://gimlet.acme.dev${WEBHOOK_PATH}`, active: true },
        redirect_url: `${registration.url}callback`,
        public: false,
        default_permissions: { checks: "write", contents: "write", deployments: "write", metadata: "read" },
        default_events: expect.arrayContaining(["check_run", "push"]),
      });

      const back = await fetch(`${registration.url}callback?code=c0de`, { redirect: "manual" });
      expect(back.status).toBe(302);
      expect(back.headers.get("location")).toBe("https://github.com/apps/gimlet-acme/installations/new");
      const result = await registration.done;
      expect(seen).toEqual(["POST /app-manifests/c0de/conversions"]);
      expect(readFileSync(result.envFile, "utf8")).toContain(
        `APP_ID=4242\nPRIVATE_KEY_PATH=${join(dir, "gimlet-app.private-key.pem")}\nWEBHOOK_SECRET=whsec\n`,
      );
      expect(readFileSync(result.keyFile, "utf8")).toBe(PEM);
      expect(statSync(result.keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(result.envFile).mode & 0o777).toBe(0o600);
    } finally {
      await registration.close();
    }
  });

  test("without a public URL it refuses before listening", async () => {
    await expect(
      startRegistration({ publicUrl: "", appYml, dir: tempDir("gimlet-register-"), port: 0 }),
    ).rejects.toThrow(/--url: required/);
  });
});
