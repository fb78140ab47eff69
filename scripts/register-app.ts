// `npm run register -- --url https://gimlet.acme.dev [--org acme] [--port 3000]`: register the GitHub App through
// GitHub's manifest flow (app.yml's permissions and events), then write .env and the private key here.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startRegistration } from "../app/register/manifestFlow.js";
import { formatProblems, problemsOf } from "../shared/errors.js";

try {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      org: { type: "string" },
      port: { type: "string" },
      "github-url": { type: "string" },
      "api-url": { type: "string" },
    },
  });
  const registration = await startRegistration({
    publicUrl: values.url ?? "",
    org: values.org,
    port: values.port ? Number(values.port) : 3000,
    webUrl: values["github-url"],
    apiUrl: values["api-url"],
    appYml: readFileSync("app.yml", "utf8"),
    dir: process.cwd(),
    log: (line) => console.log(line),
  });
  console.log(`Open ${registration.url} in a browser on this machine and press "Create the GitHub App".`);
  const result = await registration.done;
  await registration.close();
  console.log(`Next: install the app on your app and gitops repositories at ${result.htmlUrl}/installations/new,`);
  console.log("then start the server with: node --env-file=.env dist/app/index.js");
} catch (error) {
  console.error(formatProblems(problemsOf(error)));
  process.exitCode = error instanceof Error && "code" in error && error.code === "config_invalid" ? 2 : 1;
}
