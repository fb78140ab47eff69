import type { Command } from "../command.js";
import { artifactAdd } from "./artifactAdd.js";
import { artifactCreate } from "./artifactCreate.js";
import { manifestLint } from "./manifestLint.js";
import { policyCheck } from "./policyCheck.js";

/** Every CLI command, in the order `gimlet --help` lists them. */
export const commands: readonly Command[] = [artifactCreate, artifactAdd, manifestLint, policyCheck];
