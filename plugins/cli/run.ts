#!/usr/bin/env node
import { runCli } from "./runner.js";

await runCli();
