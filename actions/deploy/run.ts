// first: zod must be jitless before any schema is built
import "../../plugins/cli/jitless.js";
import { runAction } from "./runner.js";

await runAction();
