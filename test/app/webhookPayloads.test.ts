import { describe, expect, test } from "@jest/globals";
import { deliver, useApps, useFakeGitHub, webhookExample } from "../helpers/appHarness.js";

const gh = useFakeGitHub();
const apps = useApps();

/** A real `push` delivery (with an installation) that touched a Gimlet file. */
function pushPayload() {
  const payload = webhookExample("push", (p) => Boolean(p.installation) && p.commits.length > 0);
  payload.commits[0].modified = [".gimlet/staging.yaml"];
  return payload;
}

describe("signed deliveries the handlers cannot act on are the sender's fault: 400 with the path, no GitHub call", () => {
  test("a payload that is a JSON array, not an object", async () => {
    const app = await apps.start();
    const response = await deliver(app, "push", []);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/must be a JSON object/i);
    expect(gh.current.calls).toEqual([]);
  });

  test("a push without the repository's full_name names the missing field", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    delete payload.repository.full_name;
    const response = await deliver(app, "push", payload);
    expect(response.status).toBe(400);
    expect(response.text).toContain("payload.repository.full_name");
    expect(gh.current.calls).toEqual([]);
  });

  test("a requested_action without its check run", async () => {
    const app = await apps.start();
    const payload = webhookExample("check_run", (p) => p.action === "requested_action");
    delete payload.check_run;
    const response = await deliver(app, "check_run", payload);
    expect(response.status).toBe(400);
    expect(response.text).toContain("payload.check_run");
    expect(gh.current.calls).toEqual([]);
  });

  test("an installation event whose installation has no id", async () => {
    const app = await apps.start();
    const payload = webhookExample("installation", (p) => p.action === "created");
    delete payload.installation.id;
    const response = await deliver(app, "installation", payload);
    expect(response.status).toBe(400);
    expect(response.text).toContain("payload.installation.id");
  });

  test("a well-formed delivery still passes (the schema only checks what the handler reads)", async () => {
    const app = await apps.start();
    const payload = pushPayload();
    payload.commits[0].modified = ["src/index.ts"];
    expect((await deliver(app, "push", payload)).status).toBe(200);
    expect(gh.current.calls).toEqual([]);
  });
});
