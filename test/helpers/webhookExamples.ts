// Real webhook payloads for tests and the bench (no jest here).
import { createRequire } from "node:module";

type WebhookExample = { name: string; examples: Array<Record<string, any>> };
const webhookExamples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookExample[];

/** A real payload from @octokit/webhooks-examples (deep-copied). */
export function webhookExample(name: string, pick: (payload: Record<string, any>) => boolean): Record<string, any> {
  const found = webhookExamples.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

/** A real `check_run.requested_action` payload: `sender` presses `deploy:<index>` on the artifact's check run. */
export function buttonPress(
  checkRun: Record<string, any>,
  index: number,
  sender = "octo-dev",
  repository = "acme/shop",
): Record<string, any> {
  const payload = webhookExample("check_run", (p) => p.action === "requested_action" && Boolean(p.installation));
  Object.assign(payload.check_run, {
    id: checkRun.id,
    name: "gimlet",
    external_id: checkRun.external_id,
    head_sha: checkRun.head_sha,
    output: { ...payload.check_run.output, title: checkRun.output.title, summary: checkRun.output.summary },
  });
  payload.requested_action = { identifier: `deploy:${index}` };
  const [owner = "", name = ""] = repository.split("/");
  Object.assign(payload.repository, { full_name: repository, name });
  payload.repository.owner.login = owner;
  payload.sender.login = sender;
  return payload;
}
