#!/usr/bin/env node
// Run npm scripts side by side (the suite and the dist/ freshness build use different cores); each one's output is
// printed whole when it ends, and the exit code is the first failure's. `node scripts/run-parallel.mjs a b`.
import { spawn } from "node:child_process";

const scripts = process.argv.slice(2);
const runs = scripts.map(
  (name) =>
    new Promise((resolve) => {
      const child = spawn("npm", ["run", "--silent", name], { stdio: ["ignore", "pipe", "pipe"] });
      const output = [];
      child.stdout.on("data", (d) => output.push(d));
      child.stderr.on("data", (d) => output.push(d));
      child.on("close", (code) => {
        process.stdout.write(Buffer.concat(output));
        resolve(code ?? 1);
      });
    }),
);
const codes = await Promise.all(runs);
process.exit(codes.find((code) => code !== 0) ?? 0);
