import { describe, expect, test } from "@jest/globals";
import { parseCommand } from "./parse.js";

describe("parseCommand", () => {
  test.each([
    ["/gimlet deploy staging", { kind: "deploy", env: "staging" }],
    ["/gimlet deploy staging shop-worker", { kind: "deploy", env: "staging", app: "shop-worker" }],
    ["/gimlet deploy", { kind: "deploy" }],
    ["  /gimlet   deploy   staging  \nplease, it's urgent", { kind: "deploy", env: "staging" }],
    ["/gimlet rollback production", { kind: "rollback", env: "production" }],
    ["/gimlet rollback production shop", { kind: "rollback", env: "production", app: "shop" }],
    ["/gimlet rollback production to 1a2b3c4", { kind: "rollback", env: "production", to: "1a2b3c4" }],
    [
      "/gimlet rollback production shop to 1A2B3C4D",
      { kind: "rollback", env: "production", app: "shop", to: "1A2B3C4D" },
    ],
    ["/gimlet lock production", { kind: "lock", env: "production" }],
    [
      "/gimlet lock production db migration running",
      { kind: "lock", env: "production", reason: "db migration running" },
    ],
    ["/gimlet unlock production", { kind: "unlock", env: "production" }],
    ["/gimlet status", { kind: "status" }],
    ["/gimlet help", { kind: "help" }],
    ["/gimlet", { kind: "help" }],
    ["\uFEFF/gimlet status\r\nmore", { kind: "status" }],
  ])("%j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  test.each([
    "deploy staging",
    "LGTM\n/gimlet deploy staging",
    "/gimletdeploy staging",
    "> /gimlet deploy staging",
    "",
    "please /gimlet deploy staging",
  ])("not a command: %j", (body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  test.each([
    ["/gimlet ship staging", "unknown_command", "`ship` is not a gimlet command"],
    ["/gimlet Deploy staging", "unknown_command", "`Deploy` is not a gimlet command"],
    ["/gimlet deploy staging shop extra", "bad_arguments", "deploy takes an environment and at most one app"],
    ["/gimlet deploy ../etc", "bad_arguments", "`../etc` is not a valid environment name"],
    ["/gimlet deploy staging sh`op", "bad_arguments", "`sh'op` is not a valid app name"],
    ["/gimlet rollback production to", "bad_arguments", "`to` needs one gitops commit sha"],
    ["/gimlet rollback production to main", "bad_arguments", "`main` is not a commit sha"],
    ["/gimlet rollback production to abc def", "bad_arguments", "`to` needs one gitops commit sha"],
    ["/gimlet rollback a b c", "bad_arguments", "rollback takes an environment and at most one app"],
    ["/gimlet unlock a b", "bad_arguments", "unlock takes one environment"],
    ["/gimlet status now", "bad_arguments", "status takes no arguments"],
    ["/gimlet help me", "bad_arguments", "help takes no arguments"],
  ])("invalid: %j", (body, reasonCode, message) => {
    expect(parseCommand(body)).toEqual({ kind: "invalid", reasonCode, message });
  });

  test("a lock reason is cut at 200 characters", () => {
    const command = parseCommand(`/gimlet lock production ${"x".repeat(300)}`);
    expect(command).toEqual({ kind: "lock", env: "production", reason: "x".repeat(200) });
  });
});
