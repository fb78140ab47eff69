import type { Command, OptionSpec } from "./command.js";

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.valueName ?? name.toUpperCase()}` : ""}`;
  const repeat = spec.multiple ? " (repeatable)" : "";
  return `  ${flag.padEnd(34)} ${spec.description}${repeat}`;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: gimlet ${command.usage}`, "", command.summary];
  if (command.description) lines.push("", command.description);
  lines.push("", "Options:");
  for (const [name, spec] of Object.entries(command.options)) lines.push(optionLine(name, spec));
  lines.push(optionLine("help", { type: "boolean", short: "h", description: "show this help" }));
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  lines.push("", "Exit codes: 0 ok, 1 failure, 2 usage or config error, 3 refused by policy or lock.");
  return `${lines.join("\n")}\n`;
}

export function groupHelp(commands: readonly Command[], prefix: string[]): string {
  const matching = commands.filter((c) => prefix.every((p, i) => c.path[i] === p));
  const title = prefix.length ? `gimlet ${prefix.join(" ")}` : "gimlet";
  const lines = [
    `Usage: ${title} <command> [options]`,
    "",
    prefix.length
      ? `Commands of ${title}:`
      : "Gimlet: ship release artifacts, check deploy policies, render manifests and write gitops repositories.\n\nCommands:",
  ];
  for (const c of matching) lines.push(`  ${c.path.join(" ").padEnd(24)} ${c.summary}`);
  lines.push("", `Run 'gimlet <command> --help' for a command's options.`);
  return `${lines.join("\n")}\n`;
}
