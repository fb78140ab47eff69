import { ConfigError } from "../../../shared/errors.js";
import { apiClient, serverOptions } from "../client.js";
import { type Command, EXIT, emit, outputOption } from "../command.js";
import { readText } from "../files.js";
import { table } from "../table.js";
import { type TrackedRelease, waitForReleases } from "../wait.js";

interface Pushed {
  id?: string;
  decisions?: Array<{ env: string; app: string; trackingId?: string }>;
  releases?: Array<{ env: string; app: string; trackingId: string }>;
}

export const artifactTrack: Command = {
  path: ["artifact", "track"],
  summary: "Follow the releases an artifact started: the JSON `artifact push -o json` or `ship -o json` printed",
  usage: "artifact track -f PUSHED.json [--wait [--timeout S]] [-o json]",
  description:
    "Ship in one CI step (`gimlet ship -o json > pushed.json`), track in a later one. Without --wait, shows each release's state once; " +
    "with --wait, follows them until healthy or failed and exits 1 when one failed.",
  options: {
    file: {
      type: "string",
      short: "f",
      description: "what artifact push or ship printed with -o json",
      valueName: "FILE",
    },
    ...serverOptions,
    wait: { type: "boolean", description: "wait until every release is healthy or failed" },
    timeout: { type: "string", description: "seconds to wait (default 300)", valueName: "S" },
    output: outputOption,
  },
  examples: ["gimlet ship -o json > pushed.json && gimlet artifact track -f pushed.json --wait"],
  async run(ctx) {
    const file = ctx.options.file as string | undefined;
    if (!file) throw ConfigError.at("--file", "required: the JSON artifact push or ship printed with -o json");
    let pushed: Pushed;
    try {
      pushed = JSON.parse(readText(ctx.io.cwd, file)) as Pushed;
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw ConfigError.at(file, "not valid JSON");
    }
    const byKey = new Map<string, { env: string; app: string; trackingId: string }>();
    for (const d of [...(pushed.decisions ?? []), ...(pushed.releases ?? [])])
      if (d.trackingId) byKey.set(`${d.env}/${d.app}`, { env: d.env, app: d.app, trackingId: d.trackingId });
    const started = [...byKey.values()];
    const client = apiClient(ctx);
    const tracked: TrackedRelease[] = ctx.options.wait
      ? await waitForReleases(ctx, client, started, true)
      : await Promise.all(
          started.map(async (r) => ({
            ...r,
            ...(
              await client.request<Omit<TrackedRelease, "env" | "app" | "trackingId">>(
                "GET",
                `/api/releases/track/${encodeURIComponent(r.trackingId)}`,
              )
            ).body,
          })),
        );
    emit(ctx, { id: pushed.id ?? null, releases: tracked }, () =>
      tracked.length
        ? table(
            ["ENV", "APP", "STATE", "GITOPS SHA", "MESSAGE"],
            tracked.map((t) => [t.env, t.app, t.status, t.gitopsSha?.slice(0, 7) ?? "", t.message ?? ""]),
          )
        : `${file}: the artifact started no release\n`,
    );
    return tracked.some((t) => t.status === "failed") ? EXIT.failure : EXIT.ok;
  },
};
