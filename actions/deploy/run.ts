// first: zod must be jitless before any schema is built
import "../../plugins/cli/jitless.js";
import { runAction } from "./runner.js";

// runAction reports every failure itself (the step fails with `path: message`), so nothing is awaited here: the
// Action's bundle is CommonJS, which has no top-level await (scripts/build-action.mjs says why).
void runAction();
