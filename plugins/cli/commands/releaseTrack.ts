import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { releaseLabel, waitForReleases } from "../wait.js";

export const releaseTrack: Command = {
  path: ["release", "track"],
  summary: "Show (or wait for) the state of a release: queued, committed, applied, healthy or failed",
  usage: "release track TRACKING_ID [--server URL] [--token TOKEN] [--wait [--timeout S]] [-o json]",
  options: {
    ...serverOptions,
    wait: { type: "boolean", description: "wait until the release is healthy or failed" },
    timeout: { type: "string", description: "seconds to wait (default 300)", valueName: "S" },
    output: outputOption,
  },
  positionals: true,
  async run(ctx) {
    const id = ctx.positionals[0];
    if (!id) throw ConfigError.at("TRACKING_ID", "required: the tracking id a release returned");
    const client = apiClient(ctx);
    const [tracked] = ctx.options.wait
      ? await waitForReleases(ctx, client, [{ env: "", app: "", trackingId: id }], true)
      : [
          {
            trackingId: id,
            ...(
              await client.request<{
                env?: string;
                app?: string;
                status: string;
                gitopsSha: string | null;
                message: string;
              }>("GET", `/api/releases/track/${encodeURIComponent(id)}`)
            ).body,
          },
        ];
    emit(
      ctx,
      tracked,
      () =>
        `${releaseLabel({ env: tracked.env ?? "", app: tracked.app ?? "", trackingId: id })}: ${tracked.status}${tracked.gitopsSha ? ` (gitops ${tracked.gitopsSha.slice(0, 7)})` : ""}: ${tracked.message ?? ""}\n`,
    );
    return tracked.status === "failed" ? EXIT.failure : EXIT.ok;
  },
};
