export const id = 0;
export const ids = [0];
export const modules = {

/***/ 6000:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitopsWriter: () => (/* reexport */ GitopsWriter)
});

// UNUSED EXPORTS: DEFAULT_IDENTITY, appFolder, blobSha, checkRenderedFiles, deleteMessage, deployMessage, envFolder, envLockSchema, folderChanged, lockPath, ownedBy, parseStoredRelease, parseSubject, releaseOwner, releasePath, releaseRecordSchema, rollbackMessage, rollbackTarget, sameRelease, serializeRelease

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./node_modules/simple-git/dist/index.mjs + 2 modules
var dist = __webpack_require__(4724);
// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/gitops/git.ts



const DEFAULT_IDENTITY = { name: "gimlet[bot]", email: "gimlet[bot]@users.noreply.github.com" };
/**
 * Ambient variables git needs to reach a remote behind a custom CA or over ssh. simple-git strips every
 * other inherited GIT_* variable (its environment guard); the processes spawned here directly inherit
 * the environment but name their repository with `--git-dir`, so a GIT_DIR of a calling hook can't
 * redirect the writer.
 */
const ALLOWED_GIT_ENV = [
    "GIT_SSL_CAINFO",
    "GIT_SSL_CAPATH",
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_ASKPASS",
    "GIT_TERMINAL_PROMPT",
];
/**
 * A simple-git client for one folder. Identity goes through `-c` config (never `.env()`), debug logging
 * is never enabled (it prints the child environment, tokens included). Callers use `raw()` with commands
 * that print something: simple-git waits 50 ms after any command that prints nothing.
 */
function gitClient(baseDir, identity) {
    return (0,dist/* simpleGit */.Lp)({
        baseDir,
        maxConcurrentProcesses: 4,
        trimmed: false,
        allowEnvironment: ALLOWED_GIT_ENV,
        timeout: { block: 120_000 },
        config: [
            `user.name=${identity.name}`,
            `user.email=${identity.email}`,
            "commit.gpgsign=false",
            "core.autocrlf=false",
            "core.quotePath=false",
        ],
    });
}
const REMOTE_COMMANDS = new Set(["fetch", "push", "ls-remote"]);
const REMOTE_TIMEOUT_MS = 120_000;
/**
 * Spawn git on the bare repository `gitDir`: local plumbing (cat-file, log, fast-import, config) and the commands
 * that talk to the remote, which get `env` (their credentials) and a timeout.
 */
function spawnGit(gitDir, args, env) {
    return (0,external_node_child_process_.spawn)("git", [`--git-dir=${gitDir}`, ...args], {
        cwd: gitDir,
        stdio: ["pipe", "pipe", "pipe"],
        // a remote that stops answering must not hold the write queue forever (simple-git's block timeout did this before)
        ...(REMOTE_COMMANDS.has(args[0] ?? "") ? { timeout: REMOTE_TIMEOUT_MS } : {}),
        ...(env ? { env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...env } } : {}),
    });
}
/**
 * Per-command git settings for a remote's credentials (DESIGN §7: none at rest or in argv): `GIT_CONFIG_COUNT` /
 * `GIT_CONFIG_KEY_n` / `GIT_CONFIG_VALUE_n` reach only the one git process (and its children) that talks to the
 * remote, never `.git/config`, a URL on disk or the process list.
 */
function gitConfigEnv(settings) {
    const env = { GIT_CONFIG_COUNT: String(settings.length) };
    settings.forEach(([key, value], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = key;
        env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    return env;
}
/** Hide credentials embedded in remote URLs (`https://x-access-token:TOKEN@github.com/...`). */
function redact(text) {
    return text.replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");
}
/** The remote without its credentials: installation tokens change hourly, the repository doesn't. */
function withoutCredentials(url) {
    return url.replace(/^(\w+:\/\/)[^/@\s]+@/, "$1");
}
function messageOf(error) {
    return redact(error instanceof Error ? error.message : String(error));
}
/** The push lost a race: the branch moved on the remote. */
function isPushRejected(error) {
    return /\[rejected\]|fetch first|non-fast-forward|failed to update ref|cannot lock ref|stale info|\[remote rejected\].*(lock|incorrect old value)/i.test(messageOf(error));
}
const MISSING = /does not appear to be a git repository|repository .* not found|not a git repository|could not find remote ref/i;
/** Map a git failure to the product's typed errors: ConfigError for a missing remote or branch, Transient otherwise. */
function typedGitError(error, what) {
    const message = `${what}: ${messageOf(error)}`.trim();
    if (MISSING.test(message))
        return new errors/* ConfigError */.xL(message);
    // Anything else from git talking to a remote is treated as passing (network, a busy server, a lock).
    return new errors/* Transient */.Rc(message);
}
/** Run one git process on a bare repository, collecting stdout as bytes (for blobs) and failing with its stderr. */
function runGit(cwd, args, input, env) {
    return new Promise((resolve, reject) => {
        const child = spawnGit(cwd, args, env);
        const out = [];
        const err = [];
        child.stdout.on("data", (b) => out.push(b));
        child.stderr.on("data", (b) => err.push(b));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code === 0)
                resolve(Buffer.concat(out));
            else
                reject(new Error(`git ${args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? ""} failed (${code}): ${redact(Buffer.concat(err).toString("utf8").trim())}`));
        });
        child.stdin.on("error", () => undefined); // the process may exit before reading all input
        child.stdin.end(input ?? "");
    });
}
/**
 * Read many objects with ONE `git cat-file --batch` process: `names` are object ids or `<rev>:<path>`.
 * Returns them in order, undefined for a missing one.
 */
async function catFile(cwd, names) {
    if (names.length === 0)
        return [];
    const out = await runGit(cwd, ["cat-file", "--batch"], `${names.join("\n")}\n`);
    const results = [];
    let pos = 0;
    for (let i = 0; i < names.length; i++) {
        const eol = out.indexOf(0x0a, pos);
        if (eol < 0)
            throw new Error("git cat-file --batch: truncated output");
        const header = out.toString("utf8", pos, eol);
        pos = eol + 1;
        const [, type, sizeText] = header.split(" ");
        const size = Number(sizeText);
        if (type === undefined || type === "missing" || type === "ambiguous" || sizeText === undefined) {
            results.push(undefined);
            continue;
        }
        if (!Number.isInteger(size))
            throw new Error(`git cat-file --batch: bad header ${header}`);
        results.push({ type, data: out.subarray(pos, pos + size) });
        pos += size + 1;
    }
    return results;
}
/**
 * A running `git cat-file --batch` fed while its caller is still producing names (history feeds it
 * from the streaming `git log`, so the two processes work side by side). Answers come back in order.
 */
class ObjectStream {
    child;
    waiting = [];
    buffer = Buffer.alloc(0);
    failed;
    constructor(cwd) {
        this.child = spawnGit(cwd, ["cat-file", "--batch"]);
        const stderr = [];
        this.child.stdout.on("data", (chunk) => this.take(chunk));
        this.child.stderr.on("data", (b) => stderr.push(b));
        this.child.stdin.on("error", () => undefined);
        const fail = (error) => {
            this.failed = error;
            for (const resolve of this.waiting.splice(0))
                resolve(undefined);
        };
        this.child.on("error", fail);
        this.child.on("close", (code) => {
            if (this.waiting.length > 0)
                fail(new Error(`git cat-file exited ${code}: ${redact(Buffer.concat(stderr).toString("utf8").trim())}`));
        });
    }
    /** Ask for an object id or `<rev>:<path>`. */
    read(name) {
        return new Promise((resolve) => {
            if (this.failed)
                return resolve(undefined);
            this.waiting.push(resolve);
            this.child.stdin.write(`${name}\n`);
        });
    }
    /** No more names will come; answers already asked for still arrive. */
    end() {
        this.child.stdin.end();
    }
    /** The failure of the process, if any (answers asked for then resolve to undefined). */
    get error() {
        return this.failed;
    }
    kill() {
        this.child.kill();
    }
    take(chunk) {
        this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
        for (;;) {
            const eol = this.buffer.indexOf(0x0a);
            if (eol < 0 || this.waiting.length === 0)
                return;
            const [, type, sizeText] = this.buffer.toString("utf8", 0, eol).split(" ");
            if (type === undefined || type === "missing" || type === "ambiguous" || sizeText === undefined) {
                this.buffer = this.buffer.subarray(eol + 1);
                this.waiting.shift()?.(undefined);
                continue;
            }
            const size = Number(sizeText);
            if (this.buffer.length < eol + 1 + size + 1)
                return;
            const data = Buffer.from(this.buffer.subarray(eol + 1, eol + 1 + size));
            this.buffer = this.buffer.subarray(eol + 1 + size + 1);
            this.waiting.shift()?.({ type, data });
        }
    }
}

// EXTERNAL MODULE: ./shared/validation.ts
var validation = __webpack_require__(5663);
;// CONCATENATED MODULE: ./shared/gitops/layout.ts


const RELEASE_FILE = "release.json";
const LOCK_DIR = ".gimlet";
const LOCK_FILE = "lock.json";
// A segment of the env folder: letters, digits, '.', '_' and '-', starting and ending with a letter or
// digit, so "." and ".." can never be a segment.
const PATH_SEGMENT = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/;
// A rendered file name: a plain name, no directory part, no leading dot (so no "..", no ".gimlet").
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,254}$/;
function nameProblems(field, value) {
    if (typeof value !== "string" || !validation/* DNS_LABEL */.HR.test(value)) {
        return [{ path: field, message: `${JSON.stringify(value)} ${validation/* dnsLabelMessage */.pw}` }];
    }
    return [];
}
function pathProblems(value) {
    if (value === undefined || value === "")
        return [];
    const bad = (why) => [{ path: "path", message: `${JSON.stringify(value)} ${why}` }];
    if (typeof value !== "string")
        return bad("must be a string");
    if (value.includes("\\"))
        return bad("must not contain a backslash");
    if (value.startsWith("/"))
        return bad("must be a relative path");
    const segments = value.split("/");
    if (segments.some((s) => s === ".."))
        return bad("must not contain '..'");
    if (!segments.every((s) => PATH_SEGMENT.test(s))) {
        return bad("must be '/'-separated folder names of letters, digits, '.', '_' and '-'");
    }
    return [];
}
function throwIf(problems) {
    if (problems.length > 0)
        throw errors/* ConfigError */.xL.of(problems);
}
/** The env folder inside the repository ("" = the repository root). Throws ConfigError on an unsafe env or path. */
function envFolder(loc) {
    throwIf([...nameProblems("env", loc.env), ...pathProblems(loc.path)]);
    return loc.path === undefined ? loc.env : loc.path;
}
/** `<path>/<app>`, checked: both names DNS labels, the path contained. */
function appFolder(loc, app) {
    throwIf([...nameProblems("env", loc.env), ...nameProblems("app", app), ...pathProblems(loc.path)]);
    return joinRepoPath(envFolder(loc), app);
}
function releasePath(loc, app) {
    return joinRepoPath(appFolder(loc, app), RELEASE_FILE);
}
function lockPath(loc) {
    return joinRepoPath(envFolder(loc), LOCK_DIR, LOCK_FILE);
}
/** Join repository-relative segments, skipping empty ones (the root env folder is ""). */
function joinRepoPath(...parts) {
    return parts.filter((p) => p !== "").join("/");
}
/** Every rendered file must be a plain, unique file name inside the app folder, and not the release record. */
function checkRenderedFiles(files) {
    const problems = [];
    const seen = new Set();
    files.forEach((f, i) => {
        const at = `files[${i}].path`;
        if (typeof f?.path !== "string" || !FILE_NAME.test(f.path)) {
            problems.push({
                path: at,
                message: `${JSON.stringify(f?.path)} must be a plain file name (no '/', no '..', no leading '.')`,
            });
        }
        else if (f.path === RELEASE_FILE) {
            problems.push({ path: at, message: `${RELEASE_FILE} is written by gimlet and can't be a rendered file` });
        }
        else if (seen.has(f.path)) {
            problems.push({ path: at, message: `duplicate file ${f.path}` });
        }
        else if (typeof f.content !== "string") {
            problems.push({ path: `files[${i}].content`, message: "must be a string" });
        }
        if (typeof f?.path === "string")
            seen.add(f.path);
    });
    throwIf(problems);
}
/** The app a repository path belongs to, given the env folder; undefined for the lock folder and stray files. */
function appOfRepoPath(folder, repoPath) {
    const prefix = folder === "" ? "" : `${folder}/`;
    if (!repoPath.startsWith(prefix))
        return undefined;
    const rest = repoPath.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash <= 0)
        return undefined;
    const app = rest.slice(0, slash);
    return validation/* DNS_LABEL */.HR.test(app) ? app : undefined;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/gitops/objects.ts

/** The id git gives a blob with this content (sha1 object format). */
function blobSha(content) {
    const body = Buffer.from(content, "utf8");
    return (0,external_node_crypto_.createHash)("sha1").update(`blob ${body.length}\0`).update(body).digest("hex");
}
/** Parse a raw tree object (`<mode> <name>\0<20-byte id>` repeated). */
function parseTree(data, idLength = 20) {
    const entries = new Map();
    let pos = 0;
    while (pos < data.length) {
        const space = data.indexOf(0x20, pos);
        const nul = data.indexOf(0, space);
        if (space < 0 || nul < 0)
            break;
        const mode = data.toString("latin1", pos, space);
        const name = data.toString("utf8", space + 1, nul);
        entries.set(name, { mode, sha: data.toString("hex", nul + 1, nul + 1 + idLength) });
        pos = nul + 1 + idLength;
    }
    return entries;
}
function data(text) {
    return `data ${Buffer.byteLength(text, "utf8")}\n${text}\n`;
}
/**
 * A `git fast-import` stream writing `commits` one after another on `ref`, the first on top of `parent`
 * ("" = a root commit). Marks :1..:n name the commits, in order. A replaced folder is deleted first, so
 * files no longer wanted disappear.
 */
function fastImportStream(ref, parent, identity, commits, when) {
    const who = `${identity.name} <${identity.email}> ${Math.floor(when.getTime() / 1000)} +0000`;
    const out = [];
    commits.forEach((c, i) => {
        out.push(`commit ${ref}\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\n${data(c.message)}`);
        if (i === 0 && parent)
            out.push(`from ${parent}\n`);
        for (const edit of c.edits) {
            if (edit.kind === "file") {
                out.push(edit.content === undefined ? `D ${edit.path}\n` : `M 100644 inline ${edit.path}\n${data(edit.content)}`);
                continue;
            }
            out.push(`D ${edit.path}\n`);
            for (const f of edit.files) {
                const path = `${edit.path}/${f.name}`;
                out.push(f.content !== undefined ? `M ${f.mode} inline ${path}\n${data(f.content)}` : `M ${f.mode} ${f.sha} ${path}\n`);
            }
        }
        out.push("\n");
    });
    out.push("done\n");
    return out.join("");
}
/** `:<mark> <sha>` lines of `--export-marks` → shas by mark number. */
function parseMarks(text) {
    const marks = new Map();
    for (const line of text.split("\n")) {
        const [, mark, sha] = /^:(\d+) ([0-9a-f]+)$/.exec(line.trim()) ?? [];
        if (mark && sha)
            marks.set(Number(mark), sha);
    }
    return marks;
}
/** Identity fields end up in raw commit headers: refuse what would break them. */
function checkIdentity(identity) {
    if (/[<>\n\r]/.test(identity.name + identity.email) || !identity.name.trim() || !identity.email.trim()) {
        throw new Error(`invalid git identity ${JSON.stringify(identity)}`);
    }
    return identity;
}

;// CONCATENATED MODULE: ./shared/gitops/messages.ts
const SUBJECT = /^\[gimlet\] ([a-z0-9-]+)\/([a-z0-9-]+) (deploy|rollback|delete)(?: |$)/;
function oneLine(text) {
    return text.replace(/[\r\n]+/g, " ").trim();
}
function messages_short(sha) {
    return sha ? sha.slice(0, 7) : "unknown";
}
function withTrailers(subject, trailers, body = []) {
    const lines = trailers.flatMap(([k, v]) => (v === undefined || v === "" ? [] : [`${k}: ${oneLine(v)}`]));
    const parts = [oneLine(subject)];
    if (body.length > 0)
        parts.push(body.map(oneLine).join("\n"));
    if (lines.length > 0)
        parts.push(lines.join("\n"));
    return `${parts.join("\n\n")}\n`;
}
/**
 * What links a commit to its GitHub Deployments without their ids (DESIGN §7): the app repository, the artifact sha
 * the deployment is made for, and the artifact (env and app are in the subject). The commit is written before any
 * GitHub write; settling lists the repository's deployments of that sha and picks the one made for this commit.
 * `Gimlet-Deployment` is written only for a record that still carries a deployment id (releases made before).
 */
function releaseTrailers(release) {
    const repository = release.version.repositoryName ?? release.deployment?.repository;
    return [
        ["Gimlet-Artifact", release.artifactId],
        ["Gimlet-Repository", repository],
        ["Gimlet-Ref", repository ? release.version.sha : undefined],
        ["Gimlet-Deployment", release.deployment ? `${release.deployment.repository}#${release.deployment.id}` : undefined],
    ];
}
/** `[gimlet] <env>/<app> deploy <sha7> by <actor|policy>` + trailers. */
function deployMessage(release, actor) {
    const subject = `[gimlet] ${release.env}/${release.app} deploy ${messages_short(release.version.sha)} by ${actor || "policy"}`;
    return withTrailers(subject, releaseTrailers(release));
}
/** `[gimlet] <env>/<app> rollback to <gitopsSha7> by <actor>` + trailers. */
function rollbackMessage(release, target, actor) {
    const subject = `[gimlet] ${release.env}/${release.app} rollback to ${messages_short(target)} by ${actor}`;
    return withTrailers(subject, [...releaseTrailers(release), ["Gimlet-Rollback-Of", target]]);
}
/** `[gimlet] <env>/<app> delete (<reason>)`. */
function deleteMessage(env, app, reason, actor) {
    return withTrailers(`[gimlet] ${env}/${app} delete (${oneLine(reason)})`, [["Gimlet-Actor", actor]]);
}
function lockMessage(env, by, reason) {
    return withTrailers(`[gimlet] ${env} lock by ${by}${reason ? ` (${oneLine(reason)})` : ""}`, []);
}
function unlockMessage(env, by) {
    return withTrailers(`[gimlet] ${env} unlock by ${by}`, []);
}
/** The env, app and kind of a gimlet subject; undefined for any other subject (Gimlet's, a human's). */
function parseSubject(subject) {
    const [, env, app, kind] = SUBJECT.exec(subject) ?? [];
    return env && app && kind ? { env, app, kind: kind } : undefined;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./shared/gitops/release.ts


/**
 * The artifact's version object as recorded in a release. Only a few fields are read here; the rest
 * (Gimlet's `created`, `event`, `authorName`, ...) is carried through unchanged.
 */
const releaseVersionSchema = schemas/* looseObject */._H3({
    sha: schemas/* string */.YjP().optional(),
    branch: schemas/* string */.YjP().optional(),
    tag: schemas/* string */.YjP().optional(),
    message: schemas/* string */.YjP().optional(),
    repositoryName: schemas/* string */.YjP().optional(),
});
const deploymentRefSchema = schemas/* object */.Ikc({ repository: schemas/* string */.YjP(), id: schemas/* union */.KCZ([schemas/* number */.aig(), schemas/* string */.YjP()]) });
/** `<path>/<app>/release.json` (DESIGN §7). */
const releaseRecordSchema = schemas/* object */.Ikc({
    app: schemas/* string */.YjP(),
    env: schemas/* string */.YjP(),
    artifactId: schemas/* string */.YjP(),
    triggeredBy: schemas/* string */.YjP(),
    version: releaseVersionSchema,
    deployment: deploymentRefSchema.optional(),
    created: schemas/* string */.YjP(),
    rollback: schemas/* object */.Ikc({ of: schemas/* string */.YjP() }).optional(),
    pinned: schemas/* boolean */.zMY().optional(),
});
/** `<path>/.gimlet/lock.json`. */
const envLockSchema = schemas/* object */.Ikc({
    by: schemas/* string */.YjP(),
    reason: schemas/* string */.YjP().optional(),
    created: schemas/* string */.YjP(),
    /** Where the lock was taken (`owner/repo#<PR>` for a `/gimlet lock` comment): closing that PR releases it. */
    source: schemas/* string */.YjP().optional(),
});
// What is accepted when reading: records Gimlet wrote carry only app, env, artifactId, triggeredBy and
// version (and sometimes a numeric `created` in epoch seconds, `gitopsRef`, `rolledBack`, ...).
const storedReleaseSchema = schemas/* looseObject */._H3({
    app: schemas/* string */.YjP().optional(),
    env: schemas/* string */.YjP().optional(),
    artifactId: schemas/* string */.YjP().optional(),
    triggeredBy: schemas/* string */.YjP().optional(),
    version: schemas/* unknown */.L5J().optional(),
    deployment: deploymentRefSchema.optional().catch(undefined),
    created: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* number */.aig()]).optional(),
    rollback: schemas/* object */.Ikc({ of: schemas/* string */.YjP() }).optional().catch(undefined),
    pinned: schemas/* boolean */.zMY().optional().catch(undefined),
});
/**
 * Read a release.json blob leniently (history must read whatever is in the repository): invalid JSON or a
 * non-object gives undefined, missing fields get empty values, app/env default to where the file sits.
 */
function parseStoredRelease(text, fallback) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    const parsed = storedReleaseSchema.safeParse(raw);
    if (!parsed.success)
        return undefined;
    const r = parsed.data;
    const version = releaseVersionSchema.safeParse(r.version ?? {});
    const out = {
        app: r.app || fallback.app,
        env: r.env || fallback.env,
        artifactId: r.artifactId ?? "",
        triggeredBy: r.triggeredBy ?? "",
        version: version.success ? version.data : {},
    };
    const created = normalizeCreated(r.created);
    if (created)
        out.created = created;
    if (r.deployment)
        out.deployment = r.deployment;
    if (r.rollback)
        out.rollback = r.rollback;
    if (r.pinned !== undefined)
        out.pinned = r.pinned;
    return out;
}
function normalizeCreated(value) {
    if (typeof value === "string")
        return value || undefined;
    if (typeof value === "number" && Number.isFinite(value)) {
        // Gimlet stored epoch seconds; tolerate milliseconds too.
        const ms = value > 1e12 ? value : value * 1000;
        return new Date(ms).toISOString();
    }
    return undefined;
}
/** Validate a record before it is written (the writer only writes complete records). */
function checkReleaseRecord(record) {
    return (0,validation/* parseWith */.Ku)(releaseRecordSchema, record, "release.json");
}
/** The bytes written to release.json: stable key order, two-space indent, trailing newline. */
function serializeRelease(record) {
    const ordered = {
        app: record.app,
        env: record.env,
        artifactId: record.artifactId,
        triggeredBy: record.triggeredBy,
        version: record.version,
        ...(record.deployment ? { deployment: record.deployment } : {}),
        created: record.created,
        ...(record.rollback ? { rollback: record.rollback } : {}),
        ...(record.pinned ? { pinned: true } : {}),
    };
    return `${JSON.stringify(ordered, null, 2)}\n`;
}
function serializeLock(lock) {
    const ordered = {
        by: lock.by,
        ...(lock.reason ? { reason: lock.reason } : {}),
        created: lock.created,
        ...(lock.source ? { source: lock.source } : {}),
    };
    return `${JSON.stringify(ordered, null, 2)}\n`;
}
function parseLock(text) {
    try {
        const parsed = envLockSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./shared/gitops/history.ts





const LOG_FORMAT = "%x1e%H%x1f%ct%x1f%s";
/**
 * Release history of an env (or one app) at `rev`, newest first. ONE `git log --raw` walks the commits
 * touching the folder (streamed, and stopped once `limit` entries are found), ONE `git cat-file --batch`
 * reads the release.json blobs it names.
 *
 * An entry is a commit that adds, changes or removes `<app>/release.json`, or that has a gimlet subject
 * for that app. Type: the gimlet subject's kind; else "delete" when release.json is gone, "rollback" when
 * the record says so, "deploy" otherwise (records Gimlet wrote).
 */
async function readHistory(cwd, rev, q) {
    const folder = envFolder(q);
    const pathspec = q.app ? appFolder(q, q.app) : folder || ".";
    const limit = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
    if (limit === 0 || rev === "")
        return [];
    const objects = new ObjectStream(cwd);
    const found = [];
    try {
        await scanLog(cwd, rev, pathspec, folder, q.app, limit, (candidate) => {
            found.push({ candidate, text: candidate.blob ? objects.read(candidate.blob) : undefined });
        });
    }
    finally {
        objects.end();
    }
    const texts = await Promise.all(found.map((f) => f.text));
    if (objects.error)
        throw objects.error;
    const entries = found.map((f, i) => toEntry(f.candidate, texts[i]?.type === "blob" ? texts[i]?.data.toString("utf8") : undefined, q.env));
    markRolledBack(entries);
    return entries;
}
function toEntry(c, text, env) {
    const release = text === undefined ? undefined : parseStoredRelease(text, { app: c.app, env });
    if (!release) {
        return {
            type: c.subjectKind === "delete" || !c.blob ? "delete" : (c.subjectKind ?? "deploy"),
            env,
            app: c.app,
            gitopsSha: c.sha,
            created: c.date,
            rolledBack: false,
        };
    }
    const type = c.subjectKind && c.subjectKind !== "delete" ? c.subjectKind : release.rollback ? "rollback" : "deploy";
    const entry = {
        type,
        env,
        app: c.app,
        gitopsSha: c.sha,
        created: release.created ?? c.date,
        version: release.version,
        artifactId: release.artifactId,
        triggeredBy: release.triggeredBy,
        rolledBack: false,
    };
    if (release.pinned !== undefined)
        entry.pinned = release.pinned;
    if (release.rollback)
        entry.rollbackOf = release.rollback.of;
    if (release.deployment)
        entry.deployment = release.deployment;
    return entry;
}
/**
 * `rolledBack`: walking newest → oldest, a rollback to T marks every older entry of its app until T.
 * A rollback that is itself skipped by a newer one doesn't count.
 */
function markRolledBack(entries) {
    const skippingTo = new Map();
    for (const e of entries) {
        const target = skippingTo.get(e.app);
        if (target !== undefined) {
            if (e.gitopsSha === target)
                skippingTo.delete(e.app);
            else
                e.rolledBack = true;
            continue;
        }
        if (e.type === "rollback" && e.rollbackOf)
            skippingTo.set(e.app, e.rollbackOf);
    }
}
/** Stream `git log --raw`, handing each candidate to `emit` as soon as its commit is parsed, up to `limit`. */
function scanLog(cwd, rev, pathspec, folder, app, limit, emit) {
    const args = ["log", "--no-renames", "--raw", "--no-abbrev", `--format=${LOG_FORMAT}`, rev, "--", pathspec];
    return new Promise((resolve, reject) => {
        const child = spawnGit(cwd, args);
        child.stdin.end();
        let count = 0;
        let rest = "";
        let done = false;
        const stderr = [];
        const finish = () => {
            if (done)
                return;
            done = true;
            child.kill();
            resolve();
        };
        const take = (record) => {
            if (record.trim() === "")
                return;
            for (const c of candidatesOf(record, folder, app)) {
                emit(c);
                if (++count >= limit) {
                    finish();
                    return;
                }
            }
        };
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk) => {
            if (done)
                return;
            const records = (rest + chunk).split("\x1e");
            rest = records.pop() ?? "";
            for (const r of records) {
                take(r);
                if (done)
                    return;
            }
        });
        child.stderr.on("data", (b) => stderr.push(b.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code) => {
            if (done)
                return;
            if (code !== 0)
                return reject(new Error(`git log failed (${code}): ${redact(stderr.join("").trim())}`));
            take(rest);
            finish();
        });
    });
}
/** Candidates of one commit record: `<sha>\x1f<ct>\x1f<subject>\n\n:<raw lines>`. */
function candidatesOf(record, folder, onlyApp) {
    const [header = "", ...changes] = record.split("\n");
    const [sha = "", ct, subject = ""] = header.split("\x1f");
    const date = new Date(Number(ct) * 1000).toISOString();
    const parsed = parseSubject(subject);
    const byApp = new Map();
    const touched = new Set();
    for (const line of changes) {
        if (!line.startsWith(":"))
            continue;
        const tab = line.indexOf("\t");
        const path = line.slice(tab + 1);
        const app = appOfRepoPath(folder, path);
        if (!app || (onlyApp && app !== onlyApp))
            continue;
        touched.add(app);
        const appPrefix = folder === "" ? app : `${folder}/${app}`;
        if (path !== `${appPrefix}/${RELEASE_FILE}`)
            continue;
        // ":<srcmode> <dstmode> <srcsha> <dstsha> <status>"
        const fields = line.slice(1, tab).split(" ");
        const status = fields[4] ?? "";
        const kind = parsed && parsed.app === app ? parsed.kind : undefined;
        byApp.set(app, { sha, date, app, subjectKind: kind, blob: status.startsWith("D") ? undefined : fields[3] });
    }
    // A gimlet commit for an app whose release.json happens to be unchanged still is an event of that app.
    if (parsed && touched.has(parsed.app) && !byApp.has(parsed.app)) {
        const appPrefix = folder === "" ? parsed.app : `${folder}/${parsed.app}`;
        byApp.set(parsed.app, {
            sha,
            date,
            app: parsed.app,
            subjectKind: parsed.kind,
            blob: parsed.kind === "delete" ? undefined : `${sha}:${appPrefix}/${RELEASE_FILE}`,
        });
    }
    return [...byApp.values()];
}
const TRAILER_KEYS = ["Gimlet-Deployment", "Gimlet-Repository", "Gimlet-Ref", "Gimlet-Artifact"];
/** `sha` and up to `max - 1` commits before it, newest first (for settling what Flux applied). [] for an unknown sha. */
async function readReleaseCommits(cwd, sha, max) {
    if (!/^[0-9a-f]{4,64}$/i.test(sha))
        throw errors/* ConfigError */.xL.at("sha", `${JSON.stringify(sha)} is not a commit sha`);
    const trailerFields = TRAILER_KEYS.map((key) => `%(trailers:key=${key},valueonly,separator=%x1d)`).join("%x1f");
    const format = `%H%x1f${trailerFields}%x1f%s%x1e`;
    let out;
    try {
        out = (await runGit(cwd, [
            "log",
            "-n",
            String(Math.max(1, Math.floor(max))),
            `--format=${format}`,
            `${sha}^{commit}`,
            "--",
        ])).toString("utf8");
    }
    catch {
        return [];
    }
    const commits = [];
    for (const record of out.split("\x1e")) {
        const [commit, byId = "", repository = "", ref = "", artifactId = "", subject = ""] = record.trim().split("\x1f");
        if (!commit)
            continue;
        const deployments = byId
            .split("\x1d")
            .map((v) => /^(.+)#(\d+)$/.exec(v.trim()))
            .filter((m) => m !== null)
            .map((m) => ({ repository: m[1] ?? "", id: Number(m[2]) }));
        const first = (values) => values.split("\x1d")[0]?.trim() ?? "";
        const release = first(repository) && /^[0-9a-f]{7,64}$/i.test(first(ref))
            ? {
                repository: first(repository),
                ref: first(ref),
                ...(first(artifactId) ? { artifactId: first(artifactId) } : {}),
            }
            : undefined;
        const parsed = parseSubject(subject);
        commits.push({
            sha: commit,
            ...(parsed ? { env: parsed.env, app: parsed.app } : {}),
            deployments,
            ...(release && deployments.length === 0 ? { release } : {}),
        });
    }
    return commits;
}

;// CONCATENATED MODULE: ./shared/gitops/plan.ts


const EMPTY_FOLDER = { entries: new Map() };
/** A new file for a folder, with the blob id git will give it. */
function fileSpec(name, content) {
    return { name, mode: "100644", content, sha: blobSha(content) };
}
/**
 * Whether replacing `current` with `desired` changes anything (a deploy, a rollback, a delete when
 * `desired` is empty). Files are compared by blob id, so no content is read.
 *
 * Rule for "unchanged": the same file names, every rendered file byte-identical, and release.json equal
 * ignoring `created` and `deployment.id`. So the same release made twice (a retried webhook, a second
 * GitHub Deployment for the same artifact) makes no commit, while anything a reader of the history cares
 * about (another artifact, another actor, a pin or an unpin) does.
 */
function folderChanged(current, desired) {
    if (current.entries.size !== desired.length)
        return true;
    for (const file of desired) {
        const now = current.entries.get(file.name);
        if (!now || now.mode !== normalMode(file.mode))
            return true;
        const sha = file.sha ?? (file.content !== undefined ? blobSha(file.content) : undefined);
        if (now.sha === sha)
            continue;
        if (file.name === RELEASE_FILE &&
            current.release !== undefined &&
            file.content !== undefined &&
            sameRelease(current.release, file.content))
            continue;
        return true;
    }
    return false;
}
// Trees store directories as "40000"; fast-import and ls-tree spell it "040000".
function normalMode(mode) {
    return mode === "040000" ? "40000" : mode;
}
/** Single files (the env lock): `undefined` means the file must not exist. */
function fileChanged(current, desired, same = (a, b) => a === b) {
    if (current === undefined || desired === undefined)
        return current !== desired;
    return !same(current, desired);
}
/** Two release.json texts describe the same release: equal except for `created` and `deployment.id`. */
function sameRelease(a, b) {
    const ka = releaseKey(a);
    return ka !== undefined && ka === releaseKey(b);
}
function releaseKey(text) {
    try {
        const value = JSON.parse(text);
        if (value === null || typeof value !== "object" || Array.isArray(value))
            return undefined;
        const { created: _created, deployment, ...rest } = value;
        const dep = deployment && typeof deployment === "object"
            ? { ...deployment, id: undefined }
            : deployment;
        return canonicalJson({ ...rest, deployment: dep });
    }
    catch {
        return undefined;
    }
}
/** JSON with object keys sorted, so key order never makes two records differ. */
function canonicalJson(value) {
    return JSON.stringify(value, (_key, v) => {
        if (v && typeof v === "object" && !Array.isArray(v)) {
            return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
        }
        return v;
    });
}
/** Two lock.json texts are the same lock: equal except for `created`. */
function sameLock(a, b) {
    const strip = (t) => {
        try {
            const { created: _c, ...rest } = JSON.parse(t);
            return canonicalJson(rest);
        }
        catch {
            return undefined;
        }
    };
    const sa = strip(a);
    return sa !== undefined && sa === strip(b);
}
/** Two repository paths overlap when one is the other or lies inside it. */
function pathsOverlap(a, b) {
    return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

;// CONCATENATED MODULE: ./shared/gitops/ops.ts






/** What the queue knows of a write besides its plan: whose it is and which paths it writes. */
function writeTarget(env, app, paths, readsHistory = false) {
    return { env, app, paths, readsHistory };
}
/** The reason codes of a write's outcome: one when it made a commit, one when nothing changed. */
function reasonCodes(changed, unchanged) {
    return { reasonCode: (made) => (made ? changed : unchanged), extra: () => ({}) };
}
/** The app repository (lowercased) a release record or history entry came from, if it says. */
function releaseOwner(release) {
    const named = release?.version?.repositoryName ?? release?.deployment?.repository;
    return typeof named === "string" && named ? named.toLowerCase() : undefined;
}
/** Is the release this repository's? One that names no repository (an old Gimlet record) belongs to anyone. */
function ownedBy(release, repository) {
    const owner = releaseOwner(release);
    return owner === undefined || owner === repository.toLowerCase();
}
/**
 * An app folder belongs to the repository that released it: another repository releasing an app of the same name
 * into the same env (easy with an org-wide .github/gimlet.yml) is refused instead of overwriting it.
 */
function checkOwner(current, incoming, where) {
    if (current && incoming && current !== incoming) {
        throw new errors/* Conflict */.lt(`${where} is released from ${current}; ${incoming} can't release or roll back an app of the same name there (rename the app)`);
    }
}
/** Checked before queueing, so a bad name never reaches the file system or git. */
function deployOp(input, clock) {
    const folder = appFolder(input, input.app);
    checkRenderedFiles(input.files);
    const { rollback: _r, pinned: _p, ...rest } = input.release;
    const release = checkReleaseRecord({
        ...rest,
        app: input.app,
        env: input.env,
        created: input.release.created ?? clock.now().toISOString(),
    });
    const desired = [
        ...input.files.map((f) => fileSpec(f.path, f.content)),
        fileSpec(RELEASE_FILE, serializeRelease(release)),
    ];
    return {
        // A policy deploy reads the env lock: a lock queued before it in the same batch must be written first.
        ...writeTarget(input.env, input.app, input.policy ? [folder, lockPath(input)] : [folder]),
        async apply(clone, head) {
            const current = await clone.readFolder(head, folder);
            const stored = current.release === undefined
                ? undefined
                : parseStoredRelease(current.release, { app: input.app, env: input.env });
            checkOwner(releaseOwner(stored), releaseOwner(release), `${input.env}/${input.app}`);
            if (input.policy) {
                const lockText = await clone.readFile(head, lockPath(input));
                const lock = lockText === undefined ? undefined : parseLock(lockText);
                if (lock)
                    throw new errors/* PolicyDenied */.gb(`environment ${input.env} is locked by ${lock.by}${lock.reason ? `: ${lock.reason}` : ""}`, "locked");
                if (stored?.pinned)
                    throw new errors/* PolicyDenied */.gb(`${input.env}/${input.app} is pinned by a rollback${stored.rollback?.of ? ` to ${stored.rollback.of.slice(0, 7)}` : ""}; an explicit deploy unpins it`, "pinned");
            }
            if (!folderChanged(current, desired))
                return undefined;
            return {
                message: deployMessage(release, input.actor),
                edits: [{ kind: "folder", path: folder, files: desired }],
            };
        },
        ...reasonCodes("deployed", "already_deployed"),
    };
}
function removeOp(input, _clock) {
    const folder = appFolder(input, input.app);
    return {
        ...writeTarget(input.env, input.app, [folder]),
        async apply(clone, head) {
            if (!folderChanged(await clone.readFolder(head, folder), []))
                return undefined;
            return {
                message: deleteMessage(input.env, input.app, input.reason, input.actor),
                edits: [{ kind: "folder", path: folder, files: [] }],
            };
        },
        ...reasonCodes("deleted", "not_deployed"),
    };
}
function lockOp(input, clock) {
    const file = lockPath(input);
    const content = serializeLock({
        by: input.by,
        reason: input.reason,
        created: clock.now().toISOString(),
        source: input.source,
    });
    return {
        ...writeTarget(input.env, "", [file]),
        async apply(clone, head) {
            if (!fileChanged(await clone.readFile(head, file), content, sameLock))
                return undefined;
            return {
                message: lockMessage(input.env, input.by, input.reason),
                edits: [{ kind: "file", path: file, content }],
            };
        },
        ...reasonCodes("locked", "already_locked"),
    };
}
function unlockOp(input, _clock) {
    const file = lockPath(input);
    return {
        ...writeTarget(input.env, "", [file]),
        async apply(clone, head) {
            if ((await clone.readFile(head, file)) === undefined)
                return undefined;
            return { message: unlockMessage(input.env, input.by), edits: [{ kind: "file", path: file, content: undefined }] };
        },
        ...reasonCodes("unlocked", "not_locked"),
    };
}
function rollbackOp(input, clock) {
    const folder = appFolder(input, input.app);
    const where = `${input.env}/${input.app}`;
    if (input.to !== undefined && !/^[0-9a-f]{4,64}$/i.test(input.to)) {
        throw errors/* ConfigError */.xL.at("to", `${JSON.stringify(input.to)} is not a commit sha`);
    }
    let rolledBackTo = "";
    return {
        ...writeTarget(input.env, input.app, [folder], true),
        async apply(clone, head) {
            const entries = await readHistory(clone.dir, head, { env: input.env, path: input.path, app: input.app });
            const target = rollbackTarget(entries, where, input.to);
            rolledBackTo = target.gitopsSha;
            const [old, current] = await Promise.all([
                clone.readFolder(target.gitopsSha, folder),
                clone.readFolder(head, folder),
            ]);
            const stored = old.release === undefined ? undefined : parseStoredRelease(old.release, { app: input.app, env: input.env });
            if (!stored)
                throw new errors/* ConfigError */.xL(`no release ${target.gitopsSha} for ${where}: its release.json is unreadable`);
            const live = current.release === undefined
                ? undefined
                : parseStoredRelease(current.release, { app: input.app, env: input.env });
            checkOwner(releaseOwner(live), input.owner?.toLowerCase(), where);
            // ...and the release restored must be the caller's too (the folder may have been deleted and reused)
            checkOwner(releaseOwner(stored), input.owner?.toLowerCase(), `${where} at ${target.gitopsSha.slice(0, 7)}`);
            const release = {
                ...stored,
                app: input.app,
                env: input.env,
                deployment: input.deployment,
                triggeredBy: input.actor,
                created: clock.now().toISOString(),
                rollback: { of: target.gitopsSha },
                pinned: true,
            };
            // The old folder's files as they were (by blob id), and a new release.json.
            const files = [...old.entries]
                .filter(([name, e]) => name !== RELEASE_FILE && BLOB_MODES.has(e.mode))
                .map(([name, e]) => ({ name, mode: e.mode, sha: e.sha }));
            files.push(fileSpec(RELEASE_FILE, serializeRelease(release)));
            if (!folderChanged(current, files))
                return undefined;
            return {
                message: rollbackMessage(release, target.gitopsSha, input.actor),
                edits: [{ kind: "folder", path: folder, files }],
            };
        },
        ...reasonCodes("rolled_back", "already_rolled_back"),
        extra: () => ({ rolledBackTo }),
    };
}
const BLOB_MODES = new Set(["100644", "100755", "120000"]);
/** The release live now (a rollback's target, or the newest deploy), then the newest live deploy before it. */
/** The release a rollback restores: the deploy `to` names, or the one before the release live now. ConfigError if none. */
function rollbackTarget(entries, where, to) {
    return to === undefined ? previousRelease(entries, where) : namedRelease(entries, to, where);
}
function previousRelease(entries, where) {
    const newest = entries[0];
    if (!newest || newest.type === "delete")
        throw new errors/* ConfigError */.xL(`no current release of ${where} to roll back`);
    const liveSha = newest.type === "rollback" && newest.rollbackOf ? newest.rollbackOf : newest.gitopsSha;
    const live = entries.findIndex((e) => e.gitopsSha === liveSha);
    const target = entries.slice(live + 1).find((e) => e.type === "deploy" && !e.rolledBack);
    if (live < 0 || !target)
        throw new errors/* ConfigError */.xL(`no release before the current one of ${where} to roll back to`);
    return target;
}
function namedRelease(entries, to, where) {
    const sha = to.toLowerCase();
    const [match, ...others] = entries.filter((e) => e.type === "deploy" && e.gitopsSha.startsWith(sha));
    if (!match || others.length > 0) {
        throw errors/* ConfigError */.xL.of([
            { path: "to", message: `no release ${to} for ${where}${others.length > 0 ? " (ambiguous sha)" : ""}` },
        ]);
    }
    return match;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./shared/ports.ts
const systemClock = { now: () => new Date() };
const silentLogger = { debug() { }, info() { }, warn() { }, error() { } };

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./shared/gitops/ownership.ts




/**
 * Who may write a warm clone. git's lock files (`refs/gimlet/work.lock`, `packed-refs.lock`, ...) don't say which
 * process made them, so a clone carries an owner file naming the writer that uses it: a process id, its host, and a
 * random token per writer. The rule (docs/limits.md, "crash recovery"):
 * - a clone belongs to one live writer; another writer (another process sharing the work dir by mistake, or another
 *   writer in the same process) never touches it, and uses a clone of its own next to it (`<dir>.alt-<n>`);
 * - the owner is gone when its process no longer exists on this host, or, for an owner on another host (a shared
 *   volume), when its heartbeat is older than any write can take (OWNER_STALE_MS); a gone owner's clone is taken over;
 * - in its own turn (no git process of its own running on the clone), the owner clears every lock file it finds: any
 *   lock there was left by a process that died (SIGKILL, OOM, power loss) mid fast-import, push, fetch or gc.
 */
const OWNER_FILE = "gimlet-owner.json";
/** Longer than any write can take (git's own timeout in the writer is 2 minutes); heartbeats come every minute. */
const OWNER_STALE_MS = 10 * 60_000;
function newOwnerToken() {
    return (0,external_node_crypto_.randomBytes)(12).toString("hex");
}
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === "EPERM";
    }
}
async function readOwner(dir) {
    const path = (0,external_node_path_.join)(dir, OWNER_FILE);
    try {
        const [text, info] = await Promise.all([(0,promises_.readFile)(path, "utf8"), (0,promises_.stat)(path)]);
        const parsed = JSON.parse(text);
        const owner = typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.token === "string"
            ? parsed
            : undefined;
        return { owner, ageMs: Date.now() - info.mtimeMs };
    }
    catch (error) {
        if (error.code === "ENOENT")
            return undefined;
        return { ageMs: Number.POSITIVE_INFINITY }; // unreadable or half-written: nobody's
    }
}
function ownerGone(record) {
    const owner = record.owner;
    if (!owner)
        return true;
    if (owner.host === (0,external_node_os_.hostname)())
        return !processAlive(owner.pid);
    return record.ageMs > OWNER_STALE_MS;
}
/**
 * Claim `dir` for the writer holding `token`: true when it is (now) ours, false when another live writer owns it.
 * Written to a temporary file and renamed, then read back, so two claimants racing for a gone owner's clone both
 * see who won.
 */
async function claimClone(dir, token) {
    const current = await readOwner(dir);
    if (current?.owner?.token === token)
        return true;
    if (current && !ownerGone(current))
        return false;
    const mine = { pid: process.pid, host: (0,external_node_os_.hostname)(), token };
    const temp = (0,external_node_path_.join)(dir, `${OWNER_FILE}.${token}.tmp`);
    await (0,promises_.writeFile)(temp, JSON.stringify(mine));
    await (0,promises_.rename)(temp, (0,external_node_path_.join)(dir, OWNER_FILE));
    return (await readOwner(dir))?.owner?.token === token;
}
const lastBeat = new Map();
const BEAT_EVERY_MS = 60_000;
/**
 * Still ours? (Another host may have taken an idle clone over; the loser moves to another clone.) One small read per
 * turn; the heartbeat (the file's mtime) is touched at most once a minute.
 */
async function stillOwned(dir, token) {
    const path = (0,external_node_path_.join)(dir, OWNER_FILE);
    let owner;
    try {
        owner = JSON.parse(await (0,promises_.readFile)(path, "utf8"));
    }
    catch {
        return false;
    }
    if (owner.token !== token)
        return false;
    const now = Date.now();
    if (now - (lastBeat.get(path) ?? 0) >= BEAT_EVERY_MS) {
        lastBeat.set(path, now);
        await (0,promises_.utimes)(path, new Date(now), new Date(now)).catch(() => undefined);
    }
    return true;
}
/** Give the clone up (on close), so the next writer needn't wait for anything. */
async function releaseClone(dir, token) {
    if ((await readOwner(dir))?.owner?.token === token)
        await (0,promises_.rm)((0,external_node_path_.join)(dir, OWNER_FILE), { force: true });
}
// Where git leaves lock files in a bare repository: beside HEAD/config/packed-refs/shallow/index, under refs/ (any
// depth), and objects/info (commit-graph, packs list).
const LOCK_FOLDERS = ["refs", "objects/info", "logs"];
/** Remove every `*.lock` (and gc.pid) in the clone; returns what was removed, relative to `dir`. Call only as owner, in its turn. */
async function clearLockFiles(dir) {
    const removed = [];
    const sweep = async (relative, recursive) => {
        let entries;
        try {
            entries = await (0,promises_.readdir)((0,external_node_path_.join)(dir, relative), { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const entry of entries) {
            const path = relative ? `${relative}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (recursive)
                    await sweep(path, true);
            }
            else if (entry.name.endsWith(".lock") || (relative === "" && entry.name === "gc.pid")) {
                await (0,promises_.rm)((0,external_node_path_.join)(dir, path), { force: true });
                removed.push(path);
            }
        }
    };
    await sweep("", false);
    for (const folder of LOCK_FOLDERS)
        await sweep(folder, true);
    return removed;
}

;// CONCATENATED MODULE: ./shared/gitops/clone.ts










// fast-import keeps its objects as one small pack (no exploding into loose objects, light compression);
// `git gc --auto` folds the packs together every MAINTENANCE_EVERY batches.
const FAST_IMPORT = [
    "-c",
    "fastimport.unpackLimit=0",
    "-c",
    "pack.compression=1",
    "fast-import",
    "--quiet",
    "--force",
    "--done",
];
const MAINTENANCE_EVERY = 25;
/** Clones of one remote branch side by side when live writers share a work dir (`<dir>`, `<dir>.alt-1`, ...). */
const MAX_CLONES = 8;
/**
 * The warm clone of one gitops branch: a bare repository with `origin` set, no work tree. Folders are
 * read from git objects (`cat-file --batch`), commits are written by `git fast-import`, so nothing here
 * scales with the number of apps in the repository, and there is no work tree to get dirty.
 *
 * `head` is the commit the next write builds on: the remote tip after a fetch or push, or the newest
 * unpushed commit of the batch being written. A failed push just moves `head` back to the remote tip.
 */
class WorkClone {
    baseDir;
    repo;
    branch;
    identity;
    resolveUrl;
    head = "";
    ready = false;
    writes = 0;
    /** The URL `origin` is set to (with credentials, when the resolver adds them). */
    url = "";
    folder;
    client;
    logger;
    token;
    resolveEnv;
    /** Objects read for the batch being planned, by `<rev>:<path>` (commits are immutable, so entries never go stale). */
    objectCache;
    /**
     * @param baseDir the clone's folder; made only once the remote's URL resolves (a name that resolves to nothing
     *   leaves nothing on disk). When another live writer owns it, this writer uses `<baseDir>.alt-<n>` instead.
     * @param repo what the caller names the remote by (a URL, a path, or `owner/repo` when `resolveUrl` maps it)
     * @param resolveUrl the URL to fetch and push; asked before every fetch and push, since tokens expire
     */
    constructor(baseDir, repo, branch, identity, resolveUrl = (repo) => repo, options = {}) {
        this.baseDir = baseDir;
        this.repo = repo;
        this.branch = branch;
        this.identity = identity;
        this.resolveUrl = resolveUrl;
        checkIdentity(identity);
        this.folder = baseDir;
        this.logger = options.logger ?? silentLogger;
        this.token = options.ownerToken ?? newOwnerToken();
        this.resolveEnv = options.resolveEnv;
    }
    /** The folder in use (the base folder, or an alternate one when another live writer owns it). */
    get dir() {
        return this.folder;
    }
    get git() {
        this.client ??= gitClient(this.folder, this.identity);
        return this.client;
    }
    get isReady() {
        return this.ready;
    }
    /** The caller may name the same remote with other credentials (installation tokens expire hourly). */
    setRepo(repo) {
        this.repo = repo;
    }
    async remoteUrl() {
        const url = await this.resolveUrl(this.repo);
        if (typeof url !== "string" || url.trim() === "" || url.startsWith("-"))
            throw errors/* ConfigError */.xL.at("repo", `no usable URL for ${redact(this.repo)}`);
        return url;
    }
    /**
     * Point `origin` at the current URL before talking to the remote, and return the environment (credentials) for
     * that one command. A URL left with credentials by an older version is replaced by the resolver's.
     */
    async refreshOrigin() {
        const url = await this.remoteUrl();
        if (url !== this.url) {
            await runGit(this.dir, ["remote", "set-url", "origin", url]);
            this.url = url;
        }
        return this.resolveEnv?.(this.repo);
    }
    get trackingRef() {
        return `refs/remotes/origin/${this.branch}`;
    }
    /**
     * Make the clone usable (reuse one left in the folder, or start one); true when this call synced it. Runs in the
     * queue's turn, so it is also where a crash is recovered from: stale lock files are cleared (see ownership.ts).
     */
    async ensureReady() {
        if (this.ready) {
            if (await this.recover())
                return false;
            this.ready = false; // another writer took the folder over: claim one again
        }
        let created = false;
        try {
            const url = await this.remoteUrl();
            created = await this.claim();
            await this.clearLocks();
            const origin = (0,external_node_fs_.existsSync)((0,external_node_path_.join)(this.dir, "HEAD")) ? await this.originUrl() : undefined;
            if (origin === undefined || withoutCredentials(origin) !== withoutCredentials(url)) {
                await this.emptyFolder();
                await this.git.raw(["init", "--bare", `--initial-branch=${this.branch}`]);
                await runGit(this.dir, ["remote", "add", "origin", url]);
                this.url = url;
            }
            else {
                this.url = origin;
            }
            await this.sync();
            this.ready = true;
            return true;
        }
        catch (error) {
            // A clone that never worked (no such remote, a bad name) leaves no folder behind.
            if (created) {
                await releaseClone(this.dir, this.token).catch(() => undefined);
                await (0,promises_.rm)(this.dir, { recursive: true, force: true }).catch(() => undefined);
            }
            throw error instanceof errors/* GimletError */.NA ? error : typedGitError(error, `preparing a clone of the gitops repository`);
        }
    }
    /** Own a folder: the base one, or the first alternate no live writer owns. True when this call created it. */
    async claim() {
        for (let n = 0; n < MAX_CLONES; n++) {
            const dir = n === 0 ? this.baseDir : `${this.baseDir}.alt-${n}`;
            const existed = (0,external_node_fs_.existsSync)(dir);
            await (0,promises_.mkdir)(dir, { recursive: true });
            if (await claimClone(dir, this.token)) {
                if (dir !== this.folder) {
                    this.folder = dir;
                    this.client = undefined;
                }
                if (n > 0)
                    this.logger.warn({ dir }, "another live writer owns the warm clone; using a clone of our own");
                return !existed;
            }
        }
        throw new errors/* Transient */.Rc(`every warm clone of ${redact(this.repo)} (${MAX_CLONES}) is in use by another live process`);
    }
    /** In our turn on a clone we own: still ours (heartbeat), and no lock file a dead process left. */
    async recover() {
        if (!(await stillOwned(this.dir, this.token)))
            return false;
        await this.clearLocks();
        return true;
    }
    async clearLocks() {
        const removed = await clearLockFiles(this.dir);
        if (removed.length)
            this.logger.warn({ dir: this.dir, removed }, "cleared lock files a dead git process left");
    }
    async emptyFolder() {
        for (const name of await (0,promises_.readdir)(this.dir)) {
            if (name !== OWNER_FILE)
                await (0,promises_.rm)((0,external_node_path_.join)(this.dir, name), { recursive: true, force: true });
        }
    }
    /**
     * Throw the clone away after a local failure it may not recover from (a lock that came back, a damaged object):
     * the next turn re-creates it from the remote. Unpushed commits are lost, which is fine: they were never
     * acknowledged, and the writes of the failed batch are reported as failed.
     */
    async discard() {
        this.ready = false;
        this.url = "";
        this.head = "";
        if (await stillOwned(this.dir, this.token))
            await this.emptyFolder();
    }
    /** Give the folder up (the writer is closing). */
    async release() {
        await releaseClone(this.dir, this.token).catch(() => undefined);
    }
    async originUrl() {
        try {
            return (await runGit(this.dir, ["config", "--get", "remote.origin.url"])).toString("utf8").trim();
        }
        catch {
            return undefined;
        }
    }
    /** Fetch the branch; returns the remote tip, or "" when the branch doesn't exist there yet. */
    async fetch() {
        try {
            const env = await this.refreshOrigin();
            await runGit(this.dir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${this.branch}:${this.trackingRef}`], undefined, env);
        }
        catch (error) {
            if (error instanceof errors/* GimletError */.NA)
                throw error;
            if (/couldn't find remote ref/i.test(String(error)))
                return "";
            throw typedGitError(error, `fetching ${this.branch}`);
        }
        return this.readRef(this.trackingRef);
    }
    /** Fetch and build on the remote tip from now on (dropping unpushed commits); returns the tip. */
    async sync() {
        this.head = (await this.tipIfCurrent()) ?? (await this.fetch());
        return this.head;
    }
    /**
     * The remote tip when the clone already has it (ls-remote: one short round trip, about a third of a fetch here),
     * so a read right after our own push or an idle period costs no fetch. Undefined when a fetch is needed.
     */
    async tipIfCurrent() {
        try {
            const env = await this.refreshOrigin();
            const out = (await runGit(this.dir, ["ls-remote", "origin", `refs/heads/${this.branch}`], undefined, env)).toString("utf8");
            const remote = out.split(/\s+/)[0] ?? "";
            if (!/^[0-9a-f]{40,64}$/.test(remote))
                return undefined;
            return remote === (await this.readRef(this.trackingRef)) ? remote : undefined;
        }
        catch {
            return undefined;
        }
    }
    /** Back to the last known remote tip without asking the remote (after a failure). */
    async resetToTracking() {
        this.head = await this.readRef(this.trackingRef);
    }
    async readRef(ref) {
        try {
            const sha = (await (0,promises_.readFile)((0,external_node_path_.join)(this.dir, ref), "utf8")).trim();
            if (/^[0-9a-f]{40,64}$/.test(sha))
                return sha;
        }
        catch {
            // packed or missing: ask git
        }
        try {
            return (await runGit(this.dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString("utf8").trim();
        }
        catch {
            return "";
        }
    }
    /**
     * Read the folders and files a batch's writes will plan against with ONE cat-file process, so planning a batch
     * costs one process, not one or two per write (a burst of releases then takes little time per write, and the
     * writes queued behind it wait less). Reads outside these paths, or at another rev, still go to git.
     */
    async prefetch(rev, paths) {
        if (!rev)
            return;
        const names = [...new Set(paths.flatMap((p) => [`${rev}:${p}`, `${rev}:${p}/${RELEASE_FILE}`]))];
        const objects = await catFile(this.dir, names);
        this.objectCache = new Map(names.map((name, i) => [name, objects[i]]));
    }
    /** The batch is planned: drop what `prefetch` read. */
    endPrefetch() {
        this.objectCache = undefined;
    }
    async objects(names) {
        const cache = this.objectCache;
        if (!cache)
            return catFile(this.dir, names);
        const missing = names.filter((n) => !cache.has(n));
        if (missing.length) {
            const read = await catFile(this.dir, missing);
            missing.forEach((name, i) => {
                cache.set(name, read[i]);
            });
        }
        return names.map((name) => cache.get(name));
    }
    /** A folder's entries at `rev`, with its release.json text (one cat-file process). */
    async readFolder(rev, path) {
        if (!rev)
            return EMPTY_FOLDER;
        const [tree, release] = await this.objects([`${rev}:${path}`, `${rev}:${path}/${RELEASE_FILE}`]);
        if (tree?.type !== "tree")
            return EMPTY_FOLDER;
        const snapshot = { entries: parseTree(tree.data, (this.head.length || 40) / 2) };
        return release?.type === "blob" ? { ...snapshot, release: release.data.toString("utf8") } : snapshot;
    }
    /** A file's text at `rev`, undefined when absent. */
    async readFile(rev, path) {
        if (!rev)
            return undefined;
        const [obj] = await this.objects([`${rev}:${path}`]);
        return obj?.type === "blob" ? obj.data.toString("utf8") : undefined;
    }
    /** Several files' texts at `rev` with one cat-file process; undefined for each one absent. */
    async readFiles(rev, paths) {
        if (!rev || paths.length === 0)
            return paths.map(() => undefined);
        const objects = await this.objects(paths.map((path) => `${rev}:${path}`));
        return objects.map((obj) => (obj?.type === "blob" ? obj.data.toString("utf8") : undefined));
    }
    /** Write `commits` on top of `head` with one fast-import process; returns their ids and moves `head`. */
    async writeCommits(commits, when) {
        if (commits.length === 0)
            return [];
        const marksFile = (0,external_node_path_.join)(this.dir, "gimlet-marks");
        const stream = fastImportStream("refs/gimlet/work", this.head, this.identity, commits, when);
        await runGit(this.dir, [...FAST_IMPORT, `--export-marks=${marksFile}`], stream);
        const marks = parseMarks(await (0,promises_.readFile)(marksFile, "utf8"));
        const shas = commits.map((_, i) => marks.get(i + 1) ?? "");
        const last = shas.at(-1);
        if (!last || shas.some((s) => !s))
            throw new Error("git fast-import did not report every commit");
        this.head = last;
        return shas;
    }
    /** Push `head` to the branch. A rejection (the branch moved) throws; the caller syncs and re-applies. */
    async push() {
        const env = await this.refreshOrigin();
        await runGit(this.dir, ["push", "--quiet", "--no-verify", "origin", `${this.head}:refs/heads/${this.branch}`], undefined, env);
        if (++this.writes % MAINTENANCE_EVERY === 0) {
            // Not detached: a gc running in the background would hold locks while the next write starts.
            await runGit(this.dir, ["-c", "gc.autoDetach=false", "gc", "--auto", "--quiet"]).catch(() => undefined);
        }
    }
}

;// CONCATENATED MODULE: ./shared/gitops/queue.ts



const MAX_BATCH = 100;
/**
 * Failures of the local clone itself, not of the remote: a lock file that came back, a damaged object or ref. The
 * clone is thrown away and re-created from the remote on the next turn.
 */
const LOCAL_DAMAGE = /Unable to create '[^']*\.lock'|\.lock': File exists|cannot lock ref|corrupt|bad object|not a valid object|unable to (read|resolve|write)|fast-import did not report/i;
/** The error is damage to the local clone (see LOCAL_DAMAGE). */
function isLocalDamage(error) {
    return LOCAL_DAMAGE.test(error instanceof Error ? error.message : String(error));
}
/**
 * The next batch: the oldest pending write and the ones right after it from the same source, up to `max`. A batch is
 * cut where the source changes, so arrival order is kept exactly (a lock queued before a policy deploy still lands
 * first) and a batch never mixes one repository's burst with another's write: with the writer's per-source limit
 * (`maxConcurrentPerSource`) a burst has only a few writes queued at a time, and another source's write, queued
 * behind them, goes out alone in the batch after the one being pushed.
 */
function takeBatch(pending, max) {
    const first = pending[0];
    if (!first)
        return [];
    let end = 1;
    while (end < pending.length && end < max && pending[end]?.source === first.source)
        end++;
    return pending.splice(0, end);
}
/**
 * The write queue of one gitops branch. Writes that arrive while a batch is being pushed wait and go out
 * together: one commit each, one push for all. A rejected push (the branch moved) refetches, resets the
 * clone to the new tip and re-applies every write of the batch there (never rebasing stale commits),
 * with bounded exponential backoff and jitter. Nothing is lost; nothing lands twice, because a write is
 * re-planned against the new tip and a write already there plans as unchanged.
 */
class WriteQueue {
    clone;
    opts;
    stats = { batches: 0, commits: 0, pushes: 0, rejectedPushes: 0 };
    pending = [];
    scheduled = false;
    tail = Promise.resolve();
    constructor(clone, opts) {
        this.clone = clone;
        this.opts = opts;
    }
    /** Run `fn` alone on the clone (batches and reads take turns). */
    exclusive(fn) {
        const run = this.tail.then(fn, fn);
        this.tail = run.catch(() => undefined);
        return run;
    }
    enqueue(op, source = "") {
        return new Promise((resolve, reject) => {
            this.pending.push({ op, source, resolve, reject });
            this.schedule();
        });
    }
    /** No write waiting (one may still be running). */
    get isEmpty() {
        return this.pending.length === 0;
    }
    /** Resolves once every write queued so far is done. */
    idle() {
        return this.exclusive(async () => undefined).then(() => (this.pending.length > 0 ? this.idle() : undefined));
    }
    schedule() {
        if (this.scheduled)
            return;
        this.scheduled = true;
        void this.exclusive(async () => {
            this.scheduled = false;
            const batch = takeBatch(this.pending, MAX_BATCH);
            if (this.pending.length > 0)
                this.schedule();
            if (batch.length === 0)
                return;
            try {
                await this.runBatch(batch);
            }
            catch (error) {
                // Never build on commits of a failed batch: its writes are reported as failed.
                await this.clone.resetToTracking().catch(() => undefined);
                if (isLocalDamage(error)) {
                    this.opts.logger.warn({ err: error, dir: this.clone.dir }, "the warm clone is damaged; re-creating it");
                    await this.clone.discard().catch(() => undefined);
                }
                // Settled promises ignore a second reject, so this only reaches writes still waiting.
                for (const p of batch)
                    p.reject(error instanceof errors/* GimletError */.NA ? error : typedGitError(error, "gitops write"));
            }
        });
    }
    async runBatch(batch) {
        this.stats.batches++;
        const clone = this.clone;
        try {
            await clone.ensureReady();
        }
        catch (error) {
            if (isLocalDamage(error))
                await clone.discard().catch(() => undefined);
            for (const p of batch)
                p.reject(error);
            return;
        }
        const max = Math.max(1, this.opts.maxPushAttempts);
        for (let attempt = 1;; attempt++) {
            const base = clone.head;
            const results = await this.applyAll(batch);
            const committed = results.filter((r) => r.kind === "committed").length;
            try {
                if (committed > 0) {
                    await clone.push();
                    this.stats.pushes++;
                    this.stats.commits += committed;
                }
                else {
                    // Nothing to push: the verdicts hold only if `base` is still the remote tip. Check it.
                    const tip = await clone.sync();
                    if (tip !== base) {
                        if (attempt < max)
                            continue;
                        throw new errors/* Conflict */.lt(`${clone.branch} kept moving while ${batch.length} write(s) were checked`);
                    }
                }
                this.settle(batch, results, attempt);
                return;
            }
            catch (error) {
                const rejected = isPushRejected(error);
                if (rejected) {
                    this.stats.rejectedPushes++;
                    this.opts.onPushRejected?.();
                }
                if (rejected && attempt < max) {
                    this.opts.logger.debug({ branch: clone.branch, attempt, batch: batch.length }, "gitops push rejected, re-applying on the new tip");
                    await this.backoff(attempt);
                    await clone.sync();
                    continue;
                }
                const failure = rejected
                    ? new errors/* Conflict */.lt(`push to ${clone.branch} was rejected ${attempt} times: the branch keeps moving`)
                    : error instanceof errors/* GimletError */.NA
                        ? error
                        : typedGitError(error, "push");
                await clone.resetToTracking();
                batch.forEach((p, i) => {
                    const r = results[i];
                    p.reject(r?.kind === "failed" ? r.error : failure);
                });
                return;
            }
        }
    }
    /**
     * Plan every write of the batch in order, each on the commit left by the ones before, and write the
     * commits with as few fast-import runs as possible: a run is cut only before a write that must read
     * an earlier write of this batch (same paths, or a rollback reading the history). A write that fails
     * is left out of the batch.
     */
    async applyAll(batch) {
        const clone = this.clone;
        const results = [];
        let run = [];
        let runPaths = [];
        const flush = async () => {
            if (run.length === 0)
                return;
            const shas = await clone.writeCommits(run.map((r) => r.spec), new Date());
            const shaOf = new Map(run.map((r, k) => [r.index, shas[k]]));
            results.forEach((r, i) => {
                if (r.kind === "committed" && r.sha === "")
                    r.sha = shaOf.get(i) ?? "";
                // An unchanged verdict taken after a commit of this run names that commit as the current head.
                const headAfter = r.kind === "unchanged" && r.after !== undefined ? shaOf.get(r.after) : undefined;
                if (r.kind === "unchanged" && headAfter !== undefined)
                    r.sha = headAfter;
            });
            run = [];
            runPaths = [];
        };
        // One cat-file for every folder the batch plans against (the head moves only when a run is cut; reads at the new
        // head go to git as before).
        await clone.prefetch(clone.head, batch.flatMap((p) => p.op.paths));
        try {
            for (const [index, { op }] of batch.entries()) {
                if (op.readsHistory || op.paths.some((p) => runPaths.some((q) => pathsOverlap(p, q))))
                    await flush();
                try {
                    // Planned on the head before the pending run: the run touches none of this write's paths.
                    const spec = await op.apply(clone, clone.head);
                    if (!spec) {
                        results.push({ kind: "unchanged", sha: clone.head, after: run.at(-1)?.index });
                        continue;
                    }
                    results.push({ kind: "committed", sha: "", message: spec.message.split("\n")[0] ?? "" });
                    run.push({ index, spec });
                    runPaths.push(...op.paths);
                }
                catch (error) {
                    results.push({ kind: "failed", error });
                }
            }
        }
        finally {
            clone.endPrefetch();
        }
        await flush();
        return results;
    }
    settle(batch, results, attempts) {
        const size = results.filter((r) => r.kind === "committed").length;
        for (const [i, p] of batch.entries()) {
            const r = results[i];
            if (!r) {
                p.reject(new Error("a write of the batch has no result"));
                continue;
            }
            if (r.kind === "failed") {
                p.reject(r.error);
                continue;
            }
            const changed = r.kind === "committed";
            p.resolve({
                decision: changed ? "committed" : "unchanged",
                reasonCode: p.op.reasonCode(changed),
                gitopsSha: r.sha,
                env: p.op.env,
                app: p.op.app,
                ...(changed ? { message: r.message } : {}),
                batchSize: size,
                pushAttempts: changed ? attempts : 0,
                ...p.op.extra(),
            });
        }
    }
    backoff(attempt) {
        const base = this.opts.baseDelayMs ?? 20;
        const cap = this.opts.maxDelayMs ?? 1000;
        const ms = Math.random() * Math.min(cap, base * 2 ** (attempt - 1));
        return new Promise((r) => setTimeout(r, ms));
    }
}

;// CONCATENATED MODULE: ./shared/gitops/writer.ts















const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![/.])$/;
/**
 * Writes releases, rollbacks, deletes and env locks to gitops repositories (DESIGN §7). Each remote
 * branch has one warm clone and one write queue; reads fetch first and take their turn in that queue.
 */
class GitopsWriter {
    queues = new Map();
    /** Reads waiting for their turn in a queue, by queue key: later readers join them and share one sync. */
    waitingReads = new Map();
    workDir;
    ownsWorkDir;
    author;
    clock;
    logger;
    maxPushAttempts;
    onPushRejected;
    resolveUrl;
    resolveEnv;
    ownerToken = newOwnerToken();
    gates = new Map();
    maxPerSource;
    constructor(opts = {}) {
        this.ownsWorkDir = opts.workDir === undefined;
        this.workDir = opts.workDir ?? (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), "gimlet-gitops-"));
        this.author = opts.author ?? DEFAULT_IDENTITY;
        try {
            checkIdentity(this.author);
        }
        catch (error) {
            throw errors/* ConfigError */.xL.at("author", error.message);
        }
        this.clock = opts.clock ?? systemClock;
        this.logger = opts.logger ?? silentLogger;
        this.maxPushAttempts = opts.maxPushAttempts ?? 30;
        this.onPushRejected = opts.onPushRejected;
        this.resolveUrl = opts.resolveUrl;
        this.resolveEnv = opts.resolveEnv;
        this.maxPerSource = Math.max(1, opts.maxConcurrentPerSource ?? 8);
    }
    /** Deploy: replace `<path>/<app>/` with the rendered files and release.json (unpinned). */
    deploy(req) {
        return this.write(req, () => deployOp(req, this.clock));
    }
    /** Restore the app folder of an earlier deploy as a new, pinned commit (default: the release before the current one). */
    rollback(req) {
        return this.write(req, () => rollbackOp(req, this.clock));
    }
    remove(req) {
        return this.write(req, () => removeOp(req, this.clock));
    }
    lock(req) {
        return this.write(req, () => lockOp(req, this.clock));
    }
    unlock(req) {
        return this.write(req, () => unlockOp(req, this.clock));
    }
    /**
     * What a policy decision needs from one env, with one fetch: its lock and the current release of each app
     * (to see pins). Cheaper than readLock + readRelease per app, which fetch each.
     */
    async readEnvState(t, apps) {
        checkTarget(t);
        const paths = [lockPath(t), ...apps.map((app) => releasePath(t, app))];
        const byPath = await this.readFresh(t, paths);
        const texts = paths.map((path) => byPath.get(path));
        const releases = new Map();
        apps.forEach((app, i) => {
            const stored = texts[i + 1] === undefined ? undefined : parseStoredRelease(texts[i + 1], { app, env: t.env });
            releases.set(app, stored ? { ...stored, created: stored.created ?? "" } : undefined);
        });
        return { lock: texts[0] === undefined ? undefined : parseLock(texts[0]), releases };
    }
    /**
     * Files at the remote tip, read in the queue's turn. Reads that arrive while one is waiting for its turn join it:
     * a burst of artifacts costs one sync (ls-remote or fetch) instead of one each, and every reader still sees a tip
     * synced after it asked.
     */
    readFresh(t, paths) {
        const key = this.keyOf(t);
        const waiting = this.waitingReads.get(key);
        if (waiting) {
            for (const path of paths)
                waiting.paths.add(path);
            return waiting.texts;
        }
        const wanted = new Set(paths);
        const texts = this.forgetOnFailure(t, (queue) => queue.exclusive(async () => {
            this.waitingReads.delete(key); // from here on, new readers wait for the next turn
            const list = [...wanted];
            const read = await queue.clone.readFiles(await this.freshTip(queue), list);
            return new Map(list.map((path, i) => [path, read[i]]));
        }));
        const entry = { paths: wanted, texts };
        this.waitingReads.set(key, entry);
        // A turn that failed before it began must not hold later readers to its failure.
        texts.catch(() => {
            if (this.waitingReads.get(key) === entry)
                this.waitingReads.delete(key);
        });
        return texts;
    }
    async readLock(t) {
        return (await this.readEnvState(t, [])).lock;
    }
    async readRelease(t) {
        return (await this.readEnvState(t, [t.app])).releases.get(t.app);
    }
    async history(q) {
        readHistoryArgsCheck(q);
        const { queue, tip } = await this.forgetOnFailure(q, async (queue) => ({
            queue,
            tip: await queue.exclusive(() => this.freshTip(queue)),
        }));
        // The walk reads objects only, so it runs outside the queue's turn.
        return readHistory(queue.clone.dir, tip, q);
    }
    /** `sha` and the commits before it (up to `max`), newest first, with the Deployments their trailers name. */
    async releaseCommits(t, sha, max = 200) {
        checkTarget(t);
        const queue = await this.forgetOnFailure(t, async (queue) => {
            await queue.exclusive(() => this.freshTip(queue));
            return queue;
        });
        return readReleaseCommits(queue.clone.dir, sha, max);
    }
    /** Is `sha` a commit of the branch (its tip or an ancestor), as the remote has it now? */
    async isOnBranch(t, sha) {
        checkTarget(t);
        if (!/^[0-9a-f]{40,64}$/.test(sha))
            return false;
        const queue = this.queueFor(t);
        const tip = await queue.exclusive(() => this.freshTip(queue));
        if (!tip)
            return false;
        return runGit(queue.clone.dir, ["merge-base", "--is-ancestor", sha, tip]).then(() => true, () => false);
    }
    /** Counters per remote branch (batches, commits, pushes, rejected pushes). */
    stats(t) {
        return { ...(this.queues.get(this.keyOf(t))?.stats ?? { batches: 0, commits: 0, pushes: 0, rejectedPushes: 0 }) };
    }
    /** The warm clone's folder for a remote branch (for diagnostics and tests). */
    clonePath(t) {
        return this.queues.get(this.keyOf(t))?.clone.dir ?? (0,external_node_path_.join)(this.workDir, this.dirNameOf(t));
    }
    /** Wait for queued writes, give the clones up, then drop the temp work folder if the writer made it. */
    async close() {
        await Promise.all([...this.queues.values()].map((q) => q.idle()));
        await Promise.all([...this.queues.values()].map((q) => q.clone.release()));
        this.queues.clear();
        if (this.ownsWorkDir)
            (0,external_node_fs_.rmSync)(this.workDir, { recursive: true, force: true });
    }
    async write(t, makeOp) {
        checkTarget(t);
        const op = makeOp(); // every name and file check runs here, before any file or git operation
        const source = (t.source ?? sourceOf(t) ?? "").toLowerCase();
        // A write that names no source (the CLI, tests) is not limited: there is nobody else to be fair to.
        if (source === "")
            return this.forgetOnFailure(t, (queue) => queue.enqueue(op, source));
        await this.enter(source);
        try {
            return await this.forgetOnFailure(t, (queue) => queue.enqueue(op, source));
        }
        finally {
            this.leave(source);
        }
    }
    /** Wait for a slot of `source` (FIFO): at most `maxConcurrentPerSource` writes of one source in flight. */
    enter(source) {
        let gate = this.gates.get(source);
        if (!gate) {
            gate = { running: 0, waiting: [] };
            this.gates.set(source, gate);
        }
        if (gate.running < this.maxPerSource) {
            gate.running++;
            return Promise.resolve();
        }
        const queued = gate;
        return new Promise((resolve) => queued.waiting.push(resolve));
    }
    leave(source) {
        const gate = this.gates.get(source);
        if (!gate)
            return;
        const next = gate.waiting.shift();
        if (next) {
            next(); // the slot passes on
            return;
        }
        gate.running--;
        if (gate.running === 0)
            this.gates.delete(source);
    }
    /**
     * Run `fn` on the target's queue; when it fails and the clone never became ready (an unknown remote, a bad name),
     * forget the queue, so made-up names leave neither folders nor memory behind.
     */
    async forgetOnFailure(t, fn) {
        const queue = this.queueFor(t);
        try {
            return await fn(queue);
        }
        catch (error) {
            const key = this.keyOf(t);
            if (!queue.clone.isReady && this.queues.get(key) === queue && queue.isEmpty)
                this.queues.delete(key);
            throw error;
        }
    }
    /** Fetch so a read sees the remote tip; the clone is idle here, so later writes build on it too. */
    async freshTip(queue) {
        const clone = queue.clone;
        if (!(await clone.ensureReady()))
            await clone.sync();
        return clone.head;
    }
    keyOf(t) {
        return `${withoutCredentials(t.repo)}\0${t.branch ?? "main"}`;
    }
    dirNameOf(t) {
        const base = t.repo
            .replace(/\/+$/, "")
            .split(/[/:]/)
            .pop()
            ?.replace(/[^A-Za-z0-9._-]/g, "") || "repo";
        const hash = (0,external_node_crypto_.createHash)("sha256").update(this.keyOf(t)).digest("hex").slice(0, 12);
        return `${base.slice(0, 40)}-${hash}`;
    }
    queueFor(t) {
        const key = this.keyOf(t);
        let queue = this.queues.get(key);
        if (!queue) {
            const clone = new WorkClone((0,external_node_path_.join)(this.workDir, this.dirNameOf(t)), t.repo, t.branch ?? "main", this.author, this.resolveUrl, { logger: this.logger, ownerToken: this.ownerToken, resolveEnv: this.resolveEnv });
            queue = new WriteQueue(clone, {
                maxPushAttempts: this.maxPushAttempts,
                logger: this.logger,
                onPushRejected: this.onPushRejected,
            });
            this.queues.set(key, queue);
        }
        queue.clone.setRepo(t.repo);
        return queue;
    }
}
/** The app repository a write is for, when the request says (a deploy's release names it). */
function sourceOf(t) {
    const named = t;
    const repository = named.release?.deployment?.repository;
    return typeof repository === "string" && repository ? repository : undefined;
}
function checkTarget(t) {
    if (typeof t.repo !== "string" || t.repo.trim() === "" || t.repo.startsWith("-"))
        throw errors/* ConfigError */.xL.at("repo", "must be a repository URL or path");
    if (t.branch !== undefined && !BRANCH.test(t.branch))
        throw errors/* ConfigError */.xL.at("branch", `${JSON.stringify(t.branch)} is not a valid branch name`);
}
function readHistoryArgsCheck(q) {
    checkTarget(q);
    if (q.app !== undefined)
        appFolder(q, q.app);
    else
        envFolder(q);
    if (q.limit !== undefined && !(Number.isInteger(q.limit) && q.limit >= 0))
        throw errors/* ConfigError */.xL.at("limit", "must be a non-negative integer");
}

;// CONCATENATED MODULE: ./shared/gitops/index.ts
/** GitOps repositories (DESIGN §7): layout, release records, plans (pure) and the git-backed writer. */










/***/ })

};
