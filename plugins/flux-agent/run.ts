import { runAgent } from "./runner.js";

await runAgent();
