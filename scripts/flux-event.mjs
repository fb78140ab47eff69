#!/usr/bin/env node
// Play Flux's notification-controller for a demo: post a signed "applied" event for the gitops branch tip.
// Usage: node scripts/flux-event.mjs SERVER_URL GITOPS_REPOSITORY BARE_REPO_PATH SECRET_FILE [ENV]
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

const [server, repository, bare, secretFile, env] = process.argv.slice(2);
if (!server || !repository || !bare || !secretFile) {
  console.error("usage: node scripts/flux-event.mjs SERVER_URL GITOPS_REPOSITORY BARE_REPO_PATH SECRET_FILE");
  process.exit(2);
}
const sha = execFileSync("git", ["--git-dir", bare, "rev-parse", "main"], { encoding: "utf8" }).trim();
const body = JSON.stringify({
  involvedObject: { kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
  severity: "info",
  reason: "ReconciliationSucceeded",
  message: `Applied revision: main@sha1:${sha}`,
  metadata: { revision: `main@sha1:${sha}` },
  reportingController: "kustomize-controller",
});
const signature = `sha256=${createHmac("sha256", readFileSync(secretFile, "utf8").trim()).update(body).digest("hex")}`;
const query = new URLSearchParams({ repository, ...(env ? { env } : {}) });
const response = await fetch(`${server}/api/flux-events?${query}`, {
  method: "POST",
  body,
  headers: { "content-type": "application/json", "x-signature": signature },
});
const result = await response.json();
console.log(
  `Flux applied ${repository}@${sha.slice(0, 7)}: ${response.status}, settled ${result.settled?.length ?? 0} release(s)`,
);
