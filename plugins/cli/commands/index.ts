import type { Command } from "../command.js";
import { artifactAdd } from "./artifactAdd.js";
import { artifactCreate } from "./artifactCreate.js";
import { artifactList } from "./artifactList.js";
import { artifactPush } from "./artifactPush.js";
import { artifactTrack } from "./artifactTrack.js";
import { configLint } from "./configLint.js";
import { gitopsDeploy } from "./gitopsDeploy.js";
import { gitopsHistory } from "./gitopsHistory.js";
import { gitopsLock } from "./gitopsLock.js";
import { gitopsRollback } from "./gitopsRollback.js";
import { gitopsUnlock } from "./gitopsUnlock.js";
import { manifestLint } from "./manifestLint.js";
import { manifestTemplate } from "./manifestTemplate.js";
import { policyCheck } from "./policyCheck.js";
import { releaseDelete } from "./releaseDelete.js";
import { releaseList } from "./releaseList.js";
import { releaseMake } from "./releaseMake.js";
import { releaseRollback } from "./releaseRollback.js";
import { releaseTrack } from "./releaseTrack.js";
import { shipCommand } from "./ship.js";

/** Every CLI command, in the order `gimlet --help` lists them. */
export const commands: readonly Command[] = [
  artifactCreate,
  artifactAdd,
  artifactPush,
  artifactList,
  artifactTrack,
  shipCommand,
  manifestLint,
  manifestTemplate,
  configLint,
  policyCheck,
  gitopsDeploy,
  gitopsRollback,
  gitopsHistory,
  gitopsLock,
  gitopsUnlock,
  releaseMake,
  releaseList,
  releaseRollback,
  releaseDelete,
  releaseTrack,
];
