// The Action's bundle (dist/deploy), built with esbuild rather than ncc, for its start on every workflow run
// (bench/action.bench.ts, target ≤ 2× bare node):
// - CommonJS: Node's ESM loader and its facades over node:fs and friends cost about 8 ms before any of our code runs;
// - `zod` is actions/deploy/zodLite, which validates what zod accepts without loading zod; zod itself is the chunk
//   zod.cjs beside the bundle, loaded only when a value is invalid (it then writes the messages);
// - @actions/core's full module (its HTTP client) is the chunk actions-core.cjs, loaded when the step ships.
// ncc can do neither an alias nor CommonJS output from ESM sources. Returns the project files in the bundle.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const shared = { bundle: true, platform: "node", format: "cjs", target: "node20", minify: true, logLevel: "warning" };

/** `zod` → zodLite in our sources; @actions/core and zod itself → the chunks beside the bundle. */
const aliases = {
  name: "gimlet-action-aliases",
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: join(root, "actions/deploy/zodLite/index.ts") }));
    b.onResolve({ filter: /^@actions\/core$/ }, () => ({ path: "./actions-core.cjs", external: true }));
    b.onResolve({ filter: /^\.\/zod\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** zod's chunk only ever writes English messages: its other locales (250 KiB) stay out. */
const englishOnly = {
  name: "gimlet-zod-english",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/")
        ? { path: join(dirname(args.importer), args.path), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/** The package a bundled file belongs to, from its path under node_modules. */
function packageOf(file) {
  const parts = file.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const name = parts[at + 1]?.startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return { name, dir: join(root, ...parts.slice(0, at + 1), ...name.split("/")) };
}

const LICENSE_FILES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE", "license.md"];

/** licenses.txt as ncc writes it: per package, its name, its license and the license text. */
function licenses(packages) {
  return [...packages.values()]
    .map(({ name, dir }) => {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const file = LICENSE_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
      return `${name}\n${pkg.license ?? ""}\n${file ? readFileSync(file, "utf8").trim() : ""}\n`;
    })
    .join("\n");
}

export async function buildAction(entry, out) {
  const results = await Promise.all([
    build({
      ...shared,
      entryPoints: [join(root, entry)],
      outfile: join(out, "index.js"),
      plugins: [aliases],
      metafile: true,
    }),
    build({ ...shared, stdin: chunkEntry("@actions/core"), outfile: join(out, "actions-core.cjs"), metafile: true }),
    build({
      ...shared,
      stdin: chunkEntry("zod"),
      outfile: join(out, "zod.cjs"),
      plugins: [englishOnly],
      metafile: true,
    }),
  ]);
  writeFileSync(join(out, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
  const inputs = results.flatMap((r) => Object.keys(r.metafile.inputs));
  const packages = new Map();
  for (const file of inputs) {
    const pkg = packageOf(file);
    if (pkg && !packages.has(pkg.name)) packages.set(pkg.name, pkg);
  }
  writeFileSync(join(out, "licenses.txt"), licenses(packages));
  return inputs.filter((f) => !f.includes("node_modules/") && !f.startsWith("<")).sort();
}

/** A chunk's entry: every export of the package. */
const chunkEntry = (name) => ({ contents: `export * from ${JSON.stringify(name)};`, resolveDir: root, loader: "js" });

/** `contents` (ESM, paths from the project root) bundled with the Action's `zod` alias, for the zodLite test. */
export async function bundleWithZodLite(contents, outfile) {
  await build({
    ...shared,
    format: "esm",
    minify: false,
    stdin: { contents, resolveDir: root, loader: "ts" },
    outfile,
    plugins: [aliases],
  });
}
