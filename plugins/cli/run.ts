#!/usr/bin/env node
// first: zod must be jitless before any schema is built
import "./jitless.js";
import { runCli } from "./runner.js";

await runCli();
