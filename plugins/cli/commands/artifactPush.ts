import type { Outcome, ReasonCode } from "../../../shared/outcomes.js";
import { apiClient, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption, requiredString } from "../command.js";
import { readArtifactFile } from "../files.js";
import { appLabel, table } from "../table.js";
import { waitForReleases } from "../wait.js";

interface Decision {
  env: string;
  app: string;
  deploy: boolean;
  /** Absent from servers older than the outcome vocabulary. */
  outcome?: Outcome;
  reasonCode: ReasonCode;
  reason: string;
  trackingId?: string;
  preview?: boolean;
}

export const artifactPush: Command = {
  path: ["artifact", "push"],
  summary: "Ship an artifact to the Gimlet server, which stores it and releases it by policy",
  usage: "artifact push -f FILE [--server URL] [--token TOKEN] [--wait [--timeout S]] [-o json]",
  description:
    "Prints the server's decision per environment. With --wait, follows the policy releases until their gitops commits are pushed (or Flux applied them).",
  options: {
    file: { type: "string", short: "f", description: "the artifact file", valueName: "FILE" },
    ...serverOptions,
    wait: { type: "boolean", description: "wait for the releases the artifact triggered" },
    timeout: { type: "string", description: "seconds to wait (default 300)", valueName: "S" },
    output: outputOption,
  },
  examples: ["GIMLET_SERVER=http://127.0.0.1:3000 GIMLET_TOKEN=gmlt_... gimlet artifact push -f artifact.json --wait"],
  async run(ctx) {
    const file = requiredString(ctx, "file", "the artifact file");
    const client = apiClient(ctx);
    const artifact = readArtifactFile(ctx.io.cwd, file);
    const { body } = await client.request<{ id: string; decisions: Decision[] }>("POST", "/api/artifacts", artifact);
    const tracked = ctx.options.wait
      ? await waitForReleases(
          ctx,
          client,
          body.decisions
            .filter((d) => d.trackingId)
            .map((d) => ({ env: d.env, app: d.app, trackingId: d.trackingId as string })),
        )
      : [];
    const result = { id: body.id, decisions: body.decisions, ...(ctx.options.wait ? { releases: tracked } : {}) };
    emit(
      ctx,
      result,
      () =>
        `artifact ${body.id}\n${table(
          ["ENV", "APP", "RELEASE", "REASON"],
          body.decisions.map((d) => [
            d.env,
            appLabel(d.app, d.preview),
            d.deploy ? "yes" : "no",
            `${d.reasonCode}: ${d.reason}`,
          ]),
        )}${tracked.map((t) => `${t.env}/${t.app}: ${t.status}${t.gitopsSha ? ` (gitops ${t.gitopsSha.slice(0, 7)})` : ""}\n`).join("")}`,
    );
    return tracked.some((t) => t.status === "failed") ? EXIT.failure : EXIT.ok;
  },
};
