import { runServer } from "./runner.js";

await runServer();
