export const id = 678;
export const ids = [678];
export const modules = {

/***/ 5678:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  lintManifest: () => (/* reexport */ lintManifest),
  placeholderVariables: () => (/* reexport */ placeholderVariables),
  renderRelease: () => (/* reexport */ renderRelease),
  renderWithVariables: () => (/* reexport */ renderWithVariables),
  selectManifests: () => (/* reexport */ selectManifests)
});

// UNUSED EXPORTS: effectiveManifest, releaseVariables, renderObjectsOf

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
// EXTERNAL MODULE: ./shared/template/index.ts + 13 modules
var template = __webpack_require__(8633);
// EXTERNAL MODULE: ./shared/validation.ts
var validation = __webpack_require__(5663);
;// CONCATENATED MODULE: ./shared/manifest/template.ts



/**
 * Render every template of a manifest: app, namespace, values, raw manifests and patches. Templates work on string
 * values, never on YAML text, so a variable can't inject YAML. Problems of all fields are reported together.
 */
function templateManifest(manifest, vars, options = {}) {
    const problems = [];
    const ctx = (path) => ({ file: options.file, path });
    const attempt = (fn, fallback) => {
        try {
            return fn();
        }
        catch (error) {
            if (!(error instanceof errors/* GimletError */.NA))
                throw error;
            problems.push(...error.problems);
            return fallback;
        }
    };
    const app = attempt(() => (0,template/* renderString */.G4)(manifest.app, vars, ctx("app")), manifest.app);
    if (!problems.length && !validation/* DNS_LABEL */.HR.test(app))
        problems.push({
            path: options.file ? `${options.file}: app` : "app",
            message: `${JSON.stringify(app)} ${validation/* dnsLabelMessage */.pw}`,
        });
    const namespace = manifest.namespace === undefined
        ? undefined
        : attempt(() => (0,template/* renderString */.G4)(manifest.namespace, vars, ctx("namespace")), manifest.namespace);
    const values = manifest.values === undefined
        ? undefined
        : attempt(() => (0,template/* renderTree */.B6)(manifest.values, vars, {
            file: options.file,
            path: "values",
            typeAt: (path) => options.typeAt?.(["values", ...path]),
        }), manifest.values);
    const manifests = manifest.manifests === undefined
        ? undefined
        : attempt(() => (0,template/* renderString */.G4)(manifest.manifests, vars, ctx("manifests")), manifest.manifests);
    const strategicMergePatches = manifest.strategicMergePatches === undefined
        ? undefined
        : attempt(() => (0,template/* renderString */.G4)(manifest.strategicMergePatches, vars, ctx("strategicMergePatches")), manifest.strategicMergePatches);
    const json6902Patches = manifest.json6902Patches === undefined
        ? undefined
        : attempt(() => (0,template/* renderTree */.B6)(manifest.json6902Patches, vars, {
            file: options.file,
            path: "json6902Patches",
        }), manifest.json6902Patches);
    if (problems.length)
        throw errors/* ConfigError */.xL.of(problems);
    const out = { ...manifest, app };
    if (namespace !== undefined)
        out.namespace = namespace;
    if (values !== undefined)
        out.values = values;
    if (manifests !== undefined)
        out.manifests = manifests;
    if (strategicMergePatches !== undefined)
        out.strategicMergePatches = strategicMergePatches;
    if (json6902Patches !== undefined)
        out.json6902Patches = json6902Patches;
    return out;
}

// EXTERNAL MODULE: ./shared/policy/preview.ts
var preview = __webpack_require__(9561);
// EXTERNAL MODULE: ./shared/render/index.ts + 22 modules
var render = __webpack_require__(3465);
// EXTERNAL MODULE: ./shared/artifact/variables.ts
var variables = __webpack_require__(3048);
;// CONCATENATED MODULE: ./shared/release/render.ts







/** The variables a manifest is templated with: the artifact's, then ENV and APP (the app name after its own template). */
function releaseVariables(artifact, manifest, file) {
    const withEnv = (0,variables/* templateVariables */.Q)(artifact, { env: manifest.env });
    const app = (0,template/* hasTemplate */.rJ)(manifest.app) ? (0,template/* renderString */.G4)(manifest.app, withEnv, { file, path: "app" }) : manifest.app;
    return { ...withEnv, APP: app };
}
/** Render the templated manifest's objects; problems in its values carry the file, like every other problem. */
function renderObjectsOf(templated, file) {
    try {
        return (0,render/* renderObjects */.dP)(templated);
    }
    catch (error) {
        if (!file || !(error instanceof errors/* ConfigError */.xL))
            throw error;
        throw errors/* ConfigError */.xL.of(error.problems.map((p) => (p.path === file || p.path.startsWith(`${file}:`) ? p : ((0,errors/* inFile */.s5)(file, [p])[0] ?? p))));
    }
}
/** Artifact + manifest → the files of the app's gitops folder. Pure and deterministic. */
function renderRelease(artifact, original, file) {
    const manifest = (0,preview/* effectiveManifest */.jy)(artifact, original);
    const vars = releaseVariables(artifact, manifest, file);
    const templated = templateManifest(manifest, vars, {
        file,
        typeAt: (0,render/* isOnechart */.bh)(manifest.chart) ? render/* onechartTypeAt */.o5 : undefined,
    });
    const objects = renderObjectsOf(templated, file);
    return { env: templated.env, app: templated.app, manifest: templated, objects, files: (0,render/* toRenderedFiles */.UJ)(objects) };
}
/** Render with variables only (no artifact), e.g. `gimlet manifest template --vars .env`. */
function renderWithVariables(manifest, vars, file) {
    const withEnv = { ...vars, ENV: manifest.env };
    const app = (0,template/* hasTemplate */.rJ)(manifest.app) ? (0,template/* renderString */.G4)(manifest.app, withEnv, { file, path: "app" }) : manifest.app;
    const templated = templateManifest(manifest, { ...withEnv, APP: app }, { file, typeAt: (0,render/* isOnechart */.bh)(manifest.chart) ? render/* onechartTypeAt */.o5 : undefined });
    const objects = renderObjectsOf(templated, file);
    return { env: templated.env, app: templated.app, manifest: templated, objects, files: (0,render/* toRenderedFiles */.UJ)(objects) };
}

;// CONCATENATED MODULE: ./shared/release/lint.ts






/** Plausible values of the built-ins, so that functions and typed fields see what a real artifact would give them. */
const PLACEHOLDERS = {
    REPO: "acme/app",
    OWNER: "acme",
    BRANCH: "main",
    TAG: "v1.0.0",
    SHA: "0123456789abcdef0123456789abcdef01234567",
    ACTOR: "octocat",
    EVENT: "push",
    JOB: "build",
    PR_NUMBER: "1",
};
/**
 * Variables for a lint render: every name is defined, so a manifest is checked without an artifact. Unknown names
 * get "1", which is a valid string, integer, number, DNS label and host part alike, so a placeholder never invents
 * a problem that a real value would not have.
 */
function placeholderVariables(known) {
    const value = (name) => typeof name === "string" ? (known[name] ?? PLACEHOLDERS[name] ?? "1") : undefined;
    return new Proxy({}, {
        get: (_target, name) => value(name),
        has: (_target, name) => typeof name === "string",
        getOwnPropertyDescriptor: (_target, name) => typeof name === "string"
            ? { value: value(name), writable: false, enumerable: true, configurable: true }
            : undefined,
    });
}
/**
 * Everything rendering would refuse in a manifest, without an artifact: template syntax, unknown functions, value
 * types and keys of the chart, the Kubernetes schema of each object. A preview manifest is checked as a preview too.
 */
function lintManifest(manifest, file) {
    const problems = [];
    const seen = new Set();
    const add = (found) => {
        for (const problem of found) {
            const key = `${problem.path}\0${problem.message}`;
            if (!seen.has(key))
                problems.push(problem);
            seen.add(key);
        }
    };
    const variants = manifest.preview ? [manifest, (0,preview/* previewManifest */.gq)(manifest, 1)] : [manifest];
    for (const variant of variants) {
        const templateProblems = attempt(() => renderVariant(variant, file));
        add(templateProblems);
        // A broken template stops rendering before the values are checked: check them again with each broken template
        // replaced by a placeholder, so one lint run reports the template and the values problems together.
        if (templateProblems.length)
            add(attempt(() => renderVariant(withoutBrokenTemplates(variant), file)));
    }
    return problems;
}
function attempt(fn) {
    try {
        fn();
        return [];
    }
    catch (error) {
        if (error instanceof errors/* ConfigError */.xL)
            return error.problems;
        throw error;
    }
}
function renderVariant(variant, file) {
    const withEnv = { ENV: variant.env };
    const app = (0,template/* hasTemplate */.rJ)(variant.app)
        ? (0,template/* renderString */.G4)(variant.app, placeholderVariables(withEnv), { file, path: "app" })
        : variant.app;
    const templated = templateManifest(variant, placeholderVariables({ ...withEnv, APP: app }), {
        file,
        typeAt: (0,render/* isOnechart */.bh)(variant.chart) ? render/* onechartTypeAt */.o5 : undefined,
    });
    renderObjectsOf(templated, file);
}
/** The manifest with every template that fails to render replaced by one that renders a placeholder. */
function withoutBrokenTemplates(manifest) {
    const vars = placeholderVariables({ ENV: manifest.env, APP: "app" });
    const fix = (value) => {
        if (typeof value === "string") {
            if (!(0,template/* hasTemplate */.rJ)(value))
                return value;
            try {
                (0,template/* renderString */.G4)(value, vars);
                return value;
            }
            catch {
                return '{{ "1" }}';
            }
        }
        if (Array.isArray(value))
            return value.map(fix);
        if (value !== null && typeof value === "object")
            return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fix(inner)]));
        return value;
    };
    const fixed = fix(manifest);
    // Raw YAML with a broken template can't be checked further; its template problem is already reported.
    if (fixed.manifests !== manifest.manifests)
        delete fixed.manifests;
    if (fixed.strategicMergePatches !== manifest.strategicMergePatches)
        delete fixed.strategicMergePatches;
    return fixed;
}

;// CONCATENATED MODULE: ./shared/release/select.ts




/**
 * The manifests an explicit release of `env` (and `app`) renders. Regular manifests first; a PR artifact's previews
 * when no regular manifest is asked for or exists. `app` matches the app name after templating and preview renaming.
 */
function selectManifests(artifact, env, app) {
    const inEnv = artifact.environments.filter((m) => m.env === env);
    if (!inEnv.length) {
        const known = [...new Set(artifact.environments.map((m) => m.env))];
        throw errors/* ConfigError */.xL.at("--env", `the artifact has no manifest for env ${env}${known.length ? ` (it has: ${known.join(", ")})` : ""}`);
    }
    const regular = inEnv.filter((m) => !m.preview);
    const previews = inEnv.filter((m) => (0,preview/* previewPrNumber */.eQ)(artifact, m) !== undefined);
    const nameOf = (m) => {
        const effective = (0,preview/* effectiveManifest */.jy)(artifact, m);
        return (0,template/* hasTemplate */.rJ)(effective.app) ? releaseVariables(artifact, effective).APP : effective.app;
    };
    if (app) {
        const matching = [...regular, ...previews].filter((m) => nameOf(m) === app);
        if (!matching.length) {
            const names = [...regular, ...previews].map(nameOf);
            throw errors/* ConfigError */.xL.at("--app", `no app ${app} in env ${env} (apps: ${names.join(", ") || "none"})`);
        }
        return matching;
    }
    const chosen = regular.length ? regular : previews;
    if (!chosen.length)
        throw errors/* ConfigError */.xL.at("--env", `env ${env} only has preview manifests, and this is not a PR artifact`);
    return chosen;
}

;// CONCATENATED MODULE: ./shared/release/index.ts





/***/ }),

/***/ 3465:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Ci: () => (/* reexport */ ObjectsNotAllowed),
  bh: () => (/* reexport */ isOnechart),
  oQ: () => (/* reexport */ admission_objectProblems),
  o5: () => (/* reexport */ onechartTypeAt),
  dP: () => (/* binding */ renderObjects),
  UJ: () => (/* reexport */ toRenderedFiles)
});

// UNUSED EXPORTS: GENERATED_HEADER, JsonPatchError, ONECHART_DEFAULTS, applyJsonPatch, assertObjectsAllowed, onechartValuesSchema, parseOnechartValues, robustName

// EXTERNAL MODULE: ./shared/errors.ts
var errors = __webpack_require__(2635);
;// CONCATENATED MODULE: ./shared/render/names.ts

/** onechart's "robustName": lowercase, every run of non-word characters (and `_`) becomes `-`, cut to 63, no trailing `-`. */
function robustName(value) {
    return value
        .replace(/[\W_]+/g, "-")
        .toLowerCase()
        .slice(0, 63)
        .replace(/-+$/, "");
}
/** Join name parts with `-` and keep the result a valid DNS label (cut to 63, no dangling `-`). */
function joinName(...parts) {
    return parts
        .filter((part) => part !== "")
        .join("-")
        .slice(0, 63)
        .replace(/-+$/, "");
}
/** A host as part of an object name: `*.shop.acme.dev` → `wildcard-shop-acme-dev`. */
function hostSlug(host) {
    return robustName(host.replace(/^\*\./, "wildcard.")).replace(/^-+/, "");
}
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
function renderContext(manifest, chartName) {
    const name = robustName(manifest.app);
    if (name === "")
        throw errors/* ConfigError */.xL.at("app", `"${manifest.app}" gives an empty object name; use letters or digits`);
    return { name, app: manifest.app, env: manifest.env, namespace: manifest.namespace, chartName };
}
/** The labels selectors use: they must never change for a running app (a Deployment's selector is immutable). */
function selectorLabels(ctx) {
    return { "app.kubernetes.io/name": ctx.chartName, "app.kubernetes.io/instance": ctx.name };
}
/** Labels on every rendered object and pod template; the flux agent finds workloads by the `gimlet.io/*` ones. */
function commonLabels(ctx) {
    return {
        ...selectorLabels(ctx),
        "app.kubernetes.io/managed-by": "gimlet",
        "gimlet.io/app": labelValue(ctx.app),
        "gimlet.io/env": labelValue(ctx.env),
    };
}
/** A label value as given when it is a valid one, else its robust form (label values allow fewer characters). */
function labelValue(value) {
    return LABEL_VALUE.test(value) && value.length <= 63 ? value : robustName(value);
}
/** `metadata` with the namespace only when the manifest has one, and annotations only when there are some. */
function objectMeta(ctx, name, annotations) {
    const meta = {
        name,
        labels: commonLabels(ctx),
    };
    if (ctx.namespace)
        meta.namespace = ctx.namespace;
    if (annotations && Object.keys(annotations).length > 0)
        meta.annotations = annotations;
    return meta;
}

;// CONCATENATED MODULE: ./shared/render/helmrelease.ts


// Any chart other than onechart is not rendered here: it becomes a Flux HelmRelease with the values inline and
// helm-controller renders it in the cluster. The source objects are per app (named after it) so two apps using
// one repository never share, and deleting an app's folder removes its source too.
const HELM_RELEASE_INTERVAL = "1m";
const SOURCE_INTERVAL = "10m";
const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** No chart, or a chart named `onechart` (any version, any repository), is rendered by the built-in onechart renderer. */
function isOnechart(chart) {
    return chart === undefined || chart.name === "onechart";
}
function renderHelmRelease(chart, values, ctx) {
    const repository = chart.repository.replace(/\/+$/, "");
    const inlineValues = values && Object.keys(values).length > 0 ? values : undefined;
    if (repository.startsWith("oci://"))
        return ociRelease(chart, repository, inlineValues, ctx);
    if (/^https?:\/\//.test(repository))
        return httpsRelease(chart, repository, inlineValues, ctx);
    throw errors/* ConfigError */.xL.at("chart.repository", `"${chart.repository}" must be an https:// Helm repository or an oci:// registry`);
}
/** The HelmRelease of an app, its chart given either as `chart` (a Helm repository) or `chartRef` (an OCI source). */
function helmRelease(ctx, chart, values) {
    return {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: objectMeta(ctx, ctx.name),
        spec: { interval: HELM_RELEASE_INTERVAL, releaseName: ctx.name, ...chart, values },
    };
}
function httpsRelease(chart, url, values, ctx) {
    const source = {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "HelmRepository",
        metadata: objectMeta(ctx, ctx.name),
        spec: { interval: SOURCE_INTERVAL, url },
    };
    const chartSpec = {
        spec: {
            chart: chart.name,
            version: chart.version,
            sourceRef: { kind: "HelmRepository", name: ctx.name },
            interval: SOURCE_INTERVAL,
        },
    };
    return [helmRelease(ctx, { chart: chartSpec }, values), source];
}
function ociRelease(chart, registry, values, ctx) {
    // An exact version is an OCI tag; a range (`2.x`, `^2.1`) is resolved by source-controller; none means the newest.
    const ref = chart.version === undefined
        ? { semver: "*" }
        : EXACT_VERSION.test(chart.version)
            ? { tag: chart.version }
            : { semver: chart.version };
    const source = {
        apiVersion: "source.toolkit.fluxcd.io/v1beta2",
        kind: "OCIRepository",
        metadata: objectMeta(ctx, ctx.name),
        spec: {
            interval: SOURCE_INTERVAL,
            url: `${registry}/${chart.name}`,
            ref,
            layerSelector: { mediaType: HELM_CHART_LAYER, operation: "copy" },
        },
    };
    return [helmRelease(ctx, { chartRef: { kind: "OCIRepository", name: ctx.name } }, values), source];
}

// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(3243);
// EXTERNAL MODULE: ./shared/manifest/schema.ts
var schema = __webpack_require__(7071);
// EXTERNAL MODULE: ./shared/validation.ts
var validation = __webpack_require__(5663);
;// CONCATENATED MODULE: ./shared/render/yaml.ts


// YAML embedded in a manifest (`manifests`, `strategicMergePatches`, string `json6902Patches[].patch`).
// Aliases are capped so a small string can't expand into a huge object.
const LIMITS = { maxAliases: 50, maxDepth: 64 };
/** Every document of a YAML stream, empty ones kept as `null` so indexes match what the user wrote. */
function parseYamlStream(text, path) {
    try {
        return (0,js_yaml/* loadAll */.gh)(text, { maxAliases: LIMITS.maxAliases, maxDepth: LIMITS.maxDepth });
    }
    catch (error) {
        if (error instanceof js_yaml/* YAMLException */.tB) {
            const mark = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : "";
            throw errors/* ConfigError */.xL.at(path, `invalid YAML: ${error.reason ?? error.message}${mark}`);
        }
        throw error;
    }
}
function isRecord(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
/** A deep copy of plain data (what YAML and JSON give), dropping `undefined` members. */
function cloneData(value) {
    if (Array.isArray(value))
        return value.map((item) => cloneData(item));
    if (isRecord(value)) {
        const copy = {};
        for (const [key, item] of Object.entries(value))
            if (item !== undefined)
                copy[key] = cloneData(item);
        return copy;
    }
    return value;
}
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
    }
    if (isRecord(a) && isRecord(b)) {
        const keys = Object.keys(a);
        return (keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key])));
    }
    return false;
}

;// CONCATENATED MODULE: ./shared/render/json6902.ts

class JsonPatchError extends Error {
    index;
    constructor(index, message) {
        super(message);
        this.index = index;
        this.name = "JsonPatchError";
    }
}
class PointerError extends Error {
}
/** `/a/b~1c/0` → `["a", "b/c", "0"]`; `""` is the whole document. */
function parsePointer(pointer) {
    if (pointer === "")
        return [];
    if (!pointer.startsWith("/"))
        throw new PointerError(`"${pointer}" is not a JSON pointer: it must be empty or start with /`);
    return pointer
        .slice(1)
        .split("/")
        .map((token) => {
        if (/~[^01]|~$/.test(token))
            throw new PointerError(`"${pointer}" has an invalid escape: only ~0 and ~1 are allowed`);
        return token.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}
function arrayIndex(container, token, forInsert, pointer) {
    if (forInsert && token === "-")
        return container.length;
    if (!/^(0|[1-9]\d*)$/.test(token))
        throw new PointerError(`"${pointer}": "${token}" is not an array index`);
    const index = Number(token);
    const limit = forInsert ? container.length : container.length - 1;
    if (index > limit)
        throw new PointerError(`"${pointer}": index ${index} is out of bounds (the array has ${container.length} items)`);
    return index;
}
/** The container holding the pointer's last token, and that token. */
function parentOf(doc, tokens, pointer) {
    let current = doc;
    for (const token of tokens.slice(0, -1)) {
        if (Array.isArray(current))
            current = current[arrayIndex(current, token, false, pointer)];
        else if (isRecord(current) && Object.hasOwn(current, token))
            current = current[token];
        else
            throw new PointerError(`"${pointer}": path does not exist`);
    }
    return { parent: current, key: tokens[tokens.length - 1] };
}
function getValue(doc, pointer) {
    const tokens = parsePointer(pointer);
    if (tokens.length === 0)
        return doc;
    const { parent, key } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent))
        return parent[arrayIndex(parent, key, false, pointer)];
    if (isRecord(parent) && Object.hasOwn(parent, key))
        return parent[key];
    throw new PointerError(`"${pointer}": path does not exist`);
}
function addValue(doc, pointer, value) {
    const tokens = parsePointer(pointer);
    if (tokens.length === 0)
        return value;
    const { parent, key } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent))
        parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
    else if (isRecord(parent))
        parent[key] = value;
    else
        throw new PointerError(`"${pointer}": the parent is not an object or array`);
    return doc;
}
function removeValue(doc, pointer) {
    const tokens = parsePointer(pointer);
    if (tokens.length === 0)
        throw new PointerError("can't remove the whole document");
    const { parent, key } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent))
        parent.splice(arrayIndex(parent, key, false, pointer), 1);
    else if (isRecord(parent) && Object.hasOwn(parent, key))
        delete parent[key];
    else
        throw new PointerError(`"${pointer}": path does not exist`);
    return doc;
}
function replaceValue(doc, pointer, value) {
    const tokens = parsePointer(pointer);
    if (tokens.length === 0)
        return value;
    const { parent, key } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent))
        parent[arrayIndex(parent, key, false, pointer)] = value;
    else if (isRecord(parent) && Object.hasOwn(parent, key))
        parent[key] = value;
    else
        throw new PointerError(`"${pointer}": path does not exist`);
    return doc;
}
function applyOperation(doc, operation) {
    const needsValue = operation.op === "add" || operation.op === "replace" || operation.op === "test";
    if (needsValue && !("value" in operation))
        throw new PointerError(`${operation.op} needs a value`);
    const needsFrom = operation.op === "move" || operation.op === "copy";
    if (needsFrom && typeof operation.from !== "string")
        throw new PointerError(`${operation.op} needs from`);
    switch (operation.op) {
        case "add":
            return addValue(doc, operation.path, cloneData(operation.value));
        case "remove":
            return removeValue(doc, operation.path);
        case "replace":
            return replaceValue(doc, operation.path, cloneData(operation.value));
        case "move": {
            const from = operation.from;
            if (operation.path !== from && operation.path.startsWith(`${from}/`)) {
                throw new PointerError(`can't move "${from}" into its own child "${operation.path}"`);
            }
            const value = getValue(doc, from);
            return addValue(removeValue(doc, from), operation.path, value);
        }
        case "copy":
            return addValue(doc, operation.path, cloneData(getValue(doc, operation.from)));
        case "test": {
            const actual = getValue(doc, operation.path);
            if (!deepEqual(actual, operation.value)) {
                throw new PointerError(`test failed at "${operation.path}": expected ${JSON.stringify(operation.value)}, found ${JSON.stringify(actual)}`);
            }
            return doc;
        }
        default:
            throw new PointerError(`unknown op "${String(operation.op)}"`);
    }
}
/** Apply `operations` to a copy of `doc`; throws JsonPatchError with the index of the failing operation. */
function applyJsonPatch(doc, operations) {
    let result = cloneData(doc);
    operations.forEach((operation, index) => {
        try {
            result = applyOperation(result, operation);
        }
        catch (error) {
            if (error instanceof PointerError)
                throw new JsonPatchError(index, error.message);
            throw error;
        }
    });
    return result;
}

;// CONCATENATED MODULE: ./shared/render/scope.ts
// Kinds that live outside namespaces: a raw manifest of one of these never gets the manifest's namespace.
// Anything not listed (including unknown CRDs) is treated as namespaced, which is what most CRDs are.
const CLUSTER_SCOPED_KINDS = new Set([
    "APIService",
    "CertificateSigningRequest",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeSnapshotClass",
]);
function isClusterScoped(kind) {
    return CLUSTER_SCOPED_KINDS.has(kind);
}

;// CONCATENATED MODULE: ./shared/render/raw.ts



/** Problems with the identity fields every object needs, or none. */
function identityProblems(doc) {
    const missing = [];
    if (typeof doc.apiVersion !== "string" || doc.apiVersion === "")
        missing.push("apiVersion");
    if (typeof doc.kind !== "string" || doc.kind === "")
        missing.push("kind");
    if (!isRecord(doc.metadata) || typeof doc.metadata.name !== "string" || doc.metadata.name === "")
        missing.push("metadata.name");
    return missing.length > 0 ? [`missing ${missing.join(", ")}`] : [];
}
/**
 * `manifests`: raw multi-document YAML appended as is. Empty documents are skipped; `manifests[<i>]` counts every
 * document as written. A namespaced object without a namespace gets the manifest's.
 */
function parseRawManifests(text, namespace) {
    if (text === undefined || text.trim() === "")
        return [];
    const documents = parseYamlStream(text, "manifests");
    const objects = [];
    const problems = [];
    documents.forEach((doc, index) => {
        if (doc === null || doc === undefined)
            return;
        const path = `manifests[${index}]`;
        if (!isRecord(doc)) {
            problems.push({ path, message: "must be a Kubernetes object (a map with apiVersion, kind and metadata)" });
            return;
        }
        const identity = identityProblems(doc);
        if (identity.length > 0) {
            problems.push(...identity.map((message) => ({ path, message })));
            return;
        }
        const object = cloneData(doc);
        if (namespace && object.metadata.namespace === undefined && !isClusterScoped(object.kind))
            object.metadata.namespace = namespace;
        objects.push(object);
    });
    if (problems.length > 0)
        throw errors/* ConfigError */.xL.of(problems);
    return objects;
}

;// CONCATENATED MODULE: ./shared/render/targets.ts
function objectId(object) {
    return `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`;
}
function splitApiVersion(apiVersion) {
    const slash = apiVersion.indexOf("/");
    return slash < 0
        ? { group: "", version: apiVersion }
        : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
/** Indexes of the objects a patch target selects: kind and name always, namespace/group/version when given. */
function findTargets(objects, selector) {
    const matches = [];
    objects.forEach((object, index) => {
        if (object.kind !== selector.kind || object.metadata.name !== selector.name)
            return;
        if (selector.namespace !== undefined && (object.metadata.namespace ?? "") !== selector.namespace)
            return;
        const { group, version } = splitApiVersion(object.apiVersion);
        if (selector.group !== undefined && selector.group !== group)
            return;
        if (selector.version !== undefined && selector.version !== version)
            return;
        matches.push(index);
    });
    return matches;
}
/** "no rendered object is Deployment/web (rendered: Deployment/app, Service/app)" */
function noTargetMessage(objects, selector) {
    const wanted = `${selector.kind}/${selector.namespace ? `${selector.namespace}/` : ""}${selector.name}`;
    const rendered = objects.map(objectId).sort().join(", ");
    return `no rendered object is ${wanted} (rendered: ${rendered || "none"})`;
}

;// CONCATENATED MODULE: ./shared/render/json6902Patches.ts








/** The operations of one patch, given as a list or as a YAML/JSON string of one. */
function patchOperations(patch, path, problems) {
    let operations = patch;
    if (typeof patch === "string") {
        try {
            operations = (0,js_yaml/* load */.Hh)(patch, { maxAliases: 50 });
        }
        catch (error) {
            if (!(error instanceof js_yaml/* YAMLException */.tB))
                throw error;
            problems.push({ path: `${path}.patch`, message: `invalid YAML: ${error.reason ?? error.message}` });
            return undefined;
        }
    }
    if (!Array.isArray(operations)) {
        problems.push({ path: `${path}.patch`, message: "must be a list of operations ({op, path, value})" });
        return undefined;
    }
    const before = problems.length;
    operations.forEach((operation, index) => {
        const parsed = schema/* json6902OperationSchema */.WR.safeParse(operation);
        if (!parsed.success) {
            for (const issue of parsed.error.issues) {
                problems.push({ path: (0,validation/* formatPath */.jV)([`${path}.patch`, index, ...issue.path]), message: issue.message });
            }
        }
    });
    return problems.length === before ? operations : undefined;
}
/** Apply `json6902Patches` in order; every unmatched target and failing operation is reported at once. */
function applyJson6902Patches(objects, patches) {
    if (!patches || patches.length === 0)
        return objects;
    const result = [...objects];
    const problems = [];
    patches.forEach((patch, patchIndex) => {
        const path = `json6902Patches[${patchIndex}]`;
        const operations = patchOperations(patch.patch, path, problems);
        const targets = findTargets(result, patch.target);
        if (targets.length === 0) {
            problems.push({ path: `${path}.target`, message: noTargetMessage(result, patch.target) });
            return;
        }
        if (targets.length > 1) {
            problems.push({ path: `${path}.target`, message: `matches ${targets.length} objects; add target.namespace` });
            return;
        }
        if (!operations)
            return;
        const index = targets[0];
        try {
            const patched = applyJsonPatch(result[index], operations);
            const identity = isRecord(patched) ? identityProblems(patched) : ["the result is not an object"];
            if (identity.length > 0) {
                problems.push({ path, message: `the patched object is no longer a Kubernetes object: ${identity.join("; ")}` });
                return;
            }
            result[index] = patched;
        }
        catch (error) {
            if (!(error instanceof JsonPatchError))
                throw error;
            problems.push({ path: `${path}.patch[${error.index}]`, message: error.message });
        }
    });
    if (problems.length > 0)
        throw errors/* ConfigError */.xL.of(problems);
    return result;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./shared/render/onechart/config.ts


/** `vars` become a ConfigMap named after the app, loaded into the container with envFrom. */
function varsConfigMap(values, ctx) {
    if (!values.vars || Object.keys(values.vars).length === 0)
        return [];
    return [
        { apiVersion: "v1", kind: "ConfigMap", metadata: objectMeta(ctx, ctx.name), data: sortedRecord(values.vars) },
    ];
}
/** `sealedSecrets` become one bitnami SealedSecret named after the app (cluster-wide, as onechart seals them). */
function sealedSecret(values, ctx) {
    if (!values.sealedSecrets || Object.keys(values.sealedSecrets).length === 0)
        return [];
    const templateMeta = { name: ctx.name };
    if (ctx.namespace)
        templateMeta.namespace = ctx.namespace;
    return [
        {
            apiVersion: "bitnami.com/v1alpha1",
            kind: "SealedSecret",
            metadata: objectMeta(ctx, ctx.name, { "sealedsecrets.bitnami.com/cluster-wide": "true" }),
            spec: { encryptedData: sortedRecord(values.sealedSecrets), template: { metadata: templateMeta } },
        },
    ];
}
/**
 * sha256 over the data of the ConfigMaps the chart renders (vars and volume files), so a changed value restarts
 * the pods. Hashes a canonical JSON form (sorted keys), not YAML text, so formatting never changes it.
 */
function configChecksum(configMaps) {
    if (configMaps.length === 0)
        return undefined;
    const canonical = configMaps
        .map((configMap) => ({
        name: configMap.metadata.name,
        data: sortedRecord((configMap.data ?? {})),
    }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return (0,external_node_crypto_.createHash)("sha256").update(JSON.stringify(canonical)).digest("hex");
}
function sortedRecord(record) {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

;// CONCATENATED MODULE: ./shared/render/onechart/annotations.ts
const GIT_ANNOTATIONS = {
    sha: ["gitSha", "gimlet.io/git-sha"],
    repository: ["gitRepository", "gimlet.io/git-repository"],
    branch: ["gitBranch", "gimlet.io/git-branch"],
};
/** The `gimlet.io/git-*` annotations onechart puts on its objects, for the ones whose values are set. */
function gitAnnotations(values, which) {
    const annotations = {};
    for (const key of which) {
        const [valueKey, annotation] = GIT_ANNOTATIONS[key];
        const value = values[valueKey];
        if (value !== undefined)
            annotations[annotation] = value;
    }
    return annotations;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(8532);
// EXTERNAL MODULE: ./shared/names.ts
var names = __webpack_require__(8002);
;// CONCATENATED MODULE: ./shared/render/onechart/values.ts





// The onechart values this renderer understands. Defaults are applied by the renderers (not here), so they can
// tell "not set" from "set to the default" (e.g. the probe port falls back to the first of `ports[]`).
/** A strict object whose unknown-key error lists the keys it supports. */
function strict(shape) {
    const supported = Object.keys(shape).join(", ");
    return schemas/* strictObject */.rej(shape, {
        error: (issue) => (issue.code === "unrecognized_keys" ? `unknown key; supported keys: ${supported}` : undefined),
    });
}
const str = () => schemas/* string */.YjP({ error: "must be a string" });
const nonEmpty = () => str().min(1, "must not be empty");
const bool = () => schemas/* boolean */.zMY({ error: "must be true or false" });
const values_int = (min, max = 2 ** 31 - 1) => schemas/* number */.aig({ error: "must be a number" })
    .int("must be an integer")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const port = () => values_int(1, 65535);
const nodePort = () => values_int(1, 65535);
const stringMap = () => schemas/* record */.g1P(schemas/* string */.YjP(), str());
const objectOf = () => schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J(), { error: "must be a map" });
const dnsLabel = () => str().regex(names/* DNS_LABEL */.HR, names/* dnsLabelMessage */.pw);
// IANA service name, what Kubernetes wants for port names.
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[numkKMGTPE]i?|m)?$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_KEY = /^[-._a-zA-Z0-9]+$/;
/** A resource quantity: `200m`, `1Gi`, `0.5` or a number; `null` removes onechart's default. */
const quantity = () => schemas/* unknown */.L5J().transform((value, ctx) => {
    if (value === null)
        return null;
    const text = typeof value === "number" ? String(value) : value;
    if (typeof text === "string" && QUANTITY.test(text))
        return text;
    ctx.addIssue({
        code: "custom",
        message: "must be a Kubernetes quantity such as 200m, 0.5 or 1Gi (or null to drop the default)",
    });
    return core/* NEVER */.tm;
});
const resourceList = () => schemas/* record */.g1P(schemas/* string */.YjP(), quantity(), { error: "must be a map of quantities" });
const probeSchema = strict({
    enabled: bool().optional(),
    path: str().startsWith("/", "must start with /").optional(),
    settings: strict({
        initialDelaySeconds: values_int(0).optional(),
        periodSeconds: values_int(1).optional(),
        successThreshold: values_int(1).optional(),
        timeoutSeconds: values_int(1).optional(),
        failureThreshold: values_int(1).optional(),
    }).optional(),
});
const ingressSchema = strict({
    host: nonEmpty()
        .transform((host) => host.toLowerCase())
        .refine((host) => HOST.test(host), "must be a host name such as app.example.com (no scheme, port or path)"),
    path: str().startsWith("/", "must start with /").optional(),
    pathType: schemas/* enum */.k5n(["Prefix", "Exact", "ImplementationSpecific"], { error: "must be Prefix, Exact or ImplementationSpecific" })
        .optional(),
    paths: schemas/* array */.YOg(strict({
        path: str().startsWith("/", "must start with /"),
        pathType: schemas/* enum */.k5n(["Prefix", "Exact", "ImplementationSpecific"], {
            error: "must be Prefix, Exact or ImplementationSpecific",
        })
            .optional(),
    }))
        .min(1, "must list at least one path")
        .optional(),
    tlsEnabled: bool().optional(),
    secretName: dnsLabel().optional(),
    ingressClassName: nonEmpty().optional(),
    annotations: stringMap().optional(),
});
const portSchema = strict({
    name: str()
        .regex(PORT_NAME, "must be a port name: at most 15 lowercase letters, digits and '-', with at least one letter")
        .optional(),
    containerPort: port(),
    svcPort: port().optional(),
    nodePort: nodePort().optional(),
    protocol: schemas/* enum */.k5n(["TCP", "UDP", "SCTP"], { error: "must be TCP, UDP or SCTP" }).optional(),
});
const volumeSchema = strict({
    name: dnsLabel(),
    path: str().startsWith("/", "must be an absolute path"),
    subPath: nonEmpty().optional(),
    size: quantity().optional(),
    storageClass: nonEmpty().optional(),
    accessMode: schemas/* enum */.k5n(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"], {
        error: "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod",
    })
        .optional(),
    accessModes: schemas/* array */.YOg(schemas/* enum */.k5n(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"], {
        error: "must be ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod",
    }))
        .min(1, "must list at least one access mode")
        .optional(),
    pvcAnnotations: stringMap().optional(),
    existingClaim: nonEmpty().optional(),
    emptyDir: schemas/* union */.KCZ([bool(), objectOf()], { error: "must be true or an emptyDir spec such as {medium: Memory}" })
        .optional(),
    hostPath: strict({ path: str().startsWith("/", "must be an absolute path"), type: nonEmpty().optional() }).optional(),
    existingConfigMap: nonEmpty().optional(),
    fileName: nonEmpty().regex(ENV_KEY, "must be a file name (letters, digits, '-', '_', '.')").optional(),
    fileContent: str().optional(),
});
const namedRef = () => schemas/* union */.KCZ([nonEmpty(), strict({ name: nonEmpty(), optional: bool().optional() })], {
    error: "must be a name or {name, optional}",
});
const onechartValuesSchema = strict({
    image: strict({
        repository: nonEmpty().optional(),
        tag: schemas/* union */.KCZ([str(), schemas/* number */.aig()], { error: "must be a string" })
            .transform((tag) => String(tag))
            .optional(),
        pullPolicy: schemas/* enum */.k5n(["Always", "IfNotPresent", "Never"], { error: "must be Always, IfNotPresent or Never" })
            .optional(),
    }).optional(),
    replicas: values_int(0).optional(),
    strategy: schemas/* enum */.k5n(["Recreate", "RollingUpdate"], { error: "must be Recreate or RollingUpdate" }).optional(),
    containerPort: port().optional(),
    ports: schemas/* array */.YOg(portSchema).min(1, "must list at least one port").optional(),
    svcPort: port().optional(),
    nodePort: nodePort().optional(),
    nodePortEnabled: bool().optional(),
    loadbalancerEnabled: bool().optional(),
    serviceAnnotations: stringMap().optional(),
    command: schemas/* union */.KCZ([str(), schemas/* array */.YOg(str()).min(1, "must not be empty")], {
        error: "must be a string (run in `shell`) or a list of strings",
    })
        .optional(),
    shell: nonEmpty().optional(),
    vars: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* union */.KCZ([str(), schemas/* number */.aig(), schemas/* boolean */.zMY()], { error: "must be a string, number or boolean" }), {
        error: "must be a map",
    })
        .transform((vars) => Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, String(value)])))
        .optional(),
    secretEnabled: bool().optional(),
    secretName: dnsLabel().optional(),
    existingSecrets: schemas/* array */.YOg(namedRef()).optional(),
    existingConfigMaps: schemas/* array */.YOg(namedRef()).optional(),
    sealedSecrets: schemas/* record */.g1P(schemas/* string */.YjP(), nonEmpty(), { error: "must be a map of encrypted values" }).optional(),
    imagePullSecrets: schemas/* array */.YOg(schemas/* union */.KCZ([nonEmpty(), strict({ name: nonEmpty() })], { error: "must be a secret name" }))
        .optional(),
    ingress: ingressSchema.optional(),
    ingresses: schemas/* array */.YOg(ingressSchema).optional(),
    probe: probeSchema.optional(),
    livenessProbe: probeSchema.optional(),
    resources: strict({
        requests: resourceList().optional(),
        limits: resourceList().optional(),
        ignore: bool().optional(),
        ignoreLimits: bool().optional(),
    }).optional(),
    volumes: schemas/* array */.YOg(volumeSchema).optional(),
    podDisruptionBudgetEnabled: bool().optional(),
    podAnnotations: stringMap().optional(),
    podLabels: stringMap().optional(),
    nodeSelector: stringMap().optional(),
    tolerations: schemas/* array */.YOg(objectOf()).optional(),
    affinity: objectOf().optional(),
    spreadAcrossNodes: bool().optional(),
    serviceAccount: dnsLabel().optional(),
    securityContext: objectOf().optional(),
    podSecurityContext: objectOf().optional(),
    gitSha: nonEmpty().optional(),
    gitRepository: nonEmpty().optional(),
    gitBranch: nonEmpty().optional(),
}).superRefine((values, ctx) => {
    const issue = (path, message) => ctx.addIssue({ code: "custom", path, message });
    const exposesNodePorts = values.nodePortEnabled === true || values.loadbalancerEnabled === true;
    if (values.nodePortEnabled && values.loadbalancerEnabled)
        issue(["loadbalancerEnabled"], "choose one of nodePortEnabled and loadbalancerEnabled");
    if (values.nodePort !== undefined && !exposesNodePorts)
        issue(["nodePort"], "needs nodePortEnabled: true (or loadbalancerEnabled: true)");
    values.ports?.forEach((p, i) => {
        if (p.nodePort !== undefined && !exposesNodePorts)
            issue(["ports", i, "nodePort"], "needs nodePortEnabled: true (or loadbalancerEnabled: true)");
    });
    duplicates(values.ports?.map((p) => p.name ?? `tcp-${p.containerPort}`), (i) => issue(["ports", i, "name"], "is used by another port"));
    duplicates(values.volumes?.map((v) => v.name), (i) => issue(["volumes", i, "name"], "is used by another volume"));
    duplicates(values.ingresses?.map((ing) => hostSlug(ing.host)), (i) => issue(["ingresses", i, "host"], "gives the same Ingress name as another of ingresses[]"));
    values.volumes?.forEach((volume, i) => {
        const sources = ["existingClaim", "emptyDir", "hostPath", "existingConfigMap", "fileName"].filter((key) => volume[key] !== undefined && volume[key] !== false);
        if (sources.length > 1)
            issue(["volumes", i], `set only one of ${sources.join(", ")}`);
        if (volume.fileName !== undefined && volume.fileContent === undefined)
            issue(["volumes", i, "fileContent"], "is required with fileName");
        if (volume.fileContent !== undefined && volume.fileName === undefined)
            issue(["volumes", i, "fileName"], "is required with fileContent");
        if (volume.accessMode !== undefined && volume.accessModes !== undefined)
            issue(["volumes", i, "accessModes"], "set accessMode or accessModes, not both");
    });
    if (values.shell !== undefined && typeof values.command !== "string")
        issue(["shell"], "only applies to a string command");
    if (values.ports !== undefined) {
        if (values.svcPort !== undefined)
            issue(["svcPort"], "applies to the single containerPort; with ports[] set svcPort on each port");
        if (values.nodePort !== undefined)
            issue(["nodePort"], "applies to the single containerPort; with ports[] set nodePort on each port");
    }
    const repository = values.image?.repository;
    if (repository !== undefined && values.image?.tag !== undefined && hasTagOrDigest(repository)) {
        issue(["image", "repository"], "already has a tag or digest; remove it or remove image.tag");
    }
    for (const key of Object.keys(values.podLabels ?? {})) {
        if (key.startsWith("app.kubernetes.io/") || key.startsWith("gimlet.io/"))
            issue(["podLabels", key], "is set by gimlet and can't be overridden");
    }
    for (const [key] of Object.entries(values.vars ?? {})) {
        if (!ENV_KEY.test(key))
            issue(["vars", key], "must be a variable name (letters, digits, '-', '_', '.')");
    }
});
/** `nginx:1.25`, `ghcr.io/a/b@sha256:...`: a colon after the last `/` is a tag (a colon before it is a registry port). */
function hasTagOrDigest(repository) {
    return repository.includes("@") || /:[^/]*$/.test(repository);
}
function duplicates(items, report) {
    const seen = new Set();
    items?.forEach((item, i) => {
        if (seen.has(item))
            report(i);
        seen.add(item);
    });
}
/** Parse onechart values; every problem is reported at once as `values.<path>: message`. */
function parseOnechartValues(values) {
    const result = onechartValuesSchema.safeParse(values ?? {});
    if (result.success)
        return result.data;
    const problems = [];
    for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys)
                problems.push({ path: (0,validation/* formatPath */.jV)(["values", ...issue.path, key]), message: issue.message });
        }
        else if (issue.code === "invalid_key") {
            problems.push({
                path: (0,validation/* formatPath */.jV)(["values", ...issue.path]),
                message: issue.issues[0]?.message ?? issue.message,
            });
        }
        else {
            problems.push({ path: (0,validation/* formatPath */.jV)(["values", ...issue.path]), message: (0,validation/* issueMessage */.bg)(issue, values ?? {}) });
        }
    }
    throw errors/* ConfigError */.xL.of(problems);
}

;// CONCATENATED MODULE: ./shared/render/onechart/container.ts

/**
 * onechart's defaults (charts/onechart/values.yaml), kept here so the rendered objects match what
 * `helm template onechart` gives for the same values:
 * - image `nginx:latest`, pullPolicy `IfNotPresent`;
 * - containerPort 80, the port named `http`;
 * - resources requests cpu 200m / memory 200Mi and limits cpu 200m / memory 200Mi (merged key by key with the
 *   user's, as Helm merges values; `null` drops a default, `ignoreLimits` keeps only requests, `ignore` drops all);
 * - probes off; when on, path `/` and initialDelaySeconds 0, periodSeconds 10, successThreshold 1,
 *   timeoutSeconds 3, failureThreshold 3;
 * - shell `/bin/sh` for a string `command`.
 */
const ONECHART_DEFAULTS = {
    image: { repository: "nginx", tag: "latest", pullPolicy: "IfNotPresent" },
    containerPort: 80,
    shell: "/bin/sh",
    resources: { requests: { cpu: "200m", memory: "200Mi" }, limits: { cpu: "200m", memory: "200Mi" } },
    probe: {
        path: "/",
        settings: {
            initialDelaySeconds: 0,
            periodSeconds: 10,
            successThreshold: 1,
            timeoutSeconds: 3,
            failureThreshold: 3,
        },
    },
    podSecurityContext: { fsGroup: 999 },
};
function imageReference(image) {
    const repository = image?.repository ?? ONECHART_DEFAULTS.image.repository;
    const tag = image?.tag;
    if (tag === undefined || tag === "") {
        // A repository that already pins a tag or digest is used as is, instead of onechart's broken `repo:1.0:latest`.
        return hasTagOrDigest(repository) ? repository : `${repository}:${ONECHART_DEFAULTS.image.tag}`;
    }
    return tag.startsWith("sha256:") ? `${repository}@${tag}` : `${repository}:${tag}`;
}
/** The port probes hit: containerPort, else the first of `ports[]`, else 80. */
function probePort(values) {
    return values.containerPort ?? values.ports?.[0]?.containerPort ?? ONECHART_DEFAULTS.containerPort;
}
function containerPorts(values) {
    if (!values.ports)
        return [{ name: "http", containerPort: values.containerPort ?? ONECHART_DEFAULTS.containerPort, protocol: "TCP" }];
    return values.ports.map((port) => ({
        name: portName(port),
        containerPort: port.containerPort,
        protocol: port.protocol ?? "TCP",
    }));
}
/** Unnamed `ports[]` entries get onechart's `tcp-<port>` name, which the Service's targetPort refers to. */
function portName(port) {
    return port.name ?? `tcp-${port.containerPort}`;
}
function httpProbe(probe, port) {
    if (!probe?.enabled)
        return undefined;
    return {
        httpGet: { path: probe.path ?? ONECHART_DEFAULTS.probe.path, port, scheme: "HTTP" },
        ...ONECHART_DEFAULTS.probe.settings,
        ...probe.settings,
    };
}
function mergeQuantities(defaults, given) {
    const merged = { ...defaults, ...given };
    return Object.fromEntries(Object.entries(merged).filter((entry) => entry[1] !== null));
}
function containerResources(resources) {
    if (resources?.ignore)
        return undefined;
    const requests = mergeQuantities(ONECHART_DEFAULTS.resources.requests, resources?.requests);
    const limits = resources?.ignoreLimits ? {} : mergeQuantities(ONECHART_DEFAULTS.resources.limits, resources?.limits);
    const result = {};
    if (Object.keys(requests).length > 0)
        result.requests = requests;
    if (Object.keys(limits).length > 0)
        result.limits = limits;
    return Object.keys(result).length > 0 ? result : undefined;
}
function refName(ref) {
    return typeof ref === "string" ? { name: ref, optional: false } : { name: ref.name, optional: ref.optional ?? false };
}
/** envFrom in onechart's order: the vars ConfigMap, existing secrets and config maps, then the app's own secret. */
function envFrom(values, appName) {
    const sources = [];
    if (values.vars && Object.keys(values.vars).length > 0)
        sources.push({ configMapRef: { name: appName } });
    for (const ref of values.existingSecrets ?? [])
        sources.push({ secretRef: refName(ref) });
    for (const ref of values.existingConfigMaps ?? [])
        sources.push({ configMapRef: refName(ref) });
    const ownSecrets = new Set();
    if (values.secretEnabled)
        ownSecrets.add(values.secretName ?? appName);
    if (values.sealedSecrets && Object.keys(values.sealedSecrets).length > 0)
        ownSecrets.add(appName);
    for (const name of ownSecrets)
        sources.push({ secretRef: { name } });
    return sources;
}
function containerCommand(values) {
    if (values.command === undefined)
        return undefined;
    if (Array.isArray(values.command))
        return values.command;
    return [values.shell ?? ONECHART_DEFAULTS.shell, "-c", values.command];
}
/** The app's one container. */
function renderContainer(values, appName, volumeMounts) {
    const port = probePort(values);
    const env = envFrom(values, appName);
    const container = {
        name: appName,
        image: imageReference(values.image),
        imagePullPolicy: values.image?.pullPolicy ?? ONECHART_DEFAULTS.image.pullPolicy,
        command: containerCommand(values),
        envFrom: env.length > 0 ? env : undefined,
        ports: containerPorts(values),
        readinessProbe: httpProbe(values.probe, port),
        livenessProbe: httpProbe(values.livenessProbe, port),
        volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
        resources: containerResources(values.resources),
        securityContext: values.securityContext && Object.keys(values.securityContext).length > 0 ? values.securityContext : undefined,
    };
    return container;
}

;// CONCATENATED MODULE: ./shared/render/onechart/volumes.ts

// onechart's `volumes[]`: each entry is mounted at `path` and backed by exactly one source. Without a source
// it is a PersistentVolumeClaim the chart creates (`<app>-<volume>`, 1Gi, ReadWriteOnce by default).
const DEFAULT_SIZE = "1Gi";
const DEFAULT_ACCESS_MODE = "ReadWriteOnce";
function volumeSource(volume) {
    if (volume.emptyDir !== undefined && volume.emptyDir !== false)
        return "emptyDir";
    if (volume.existingConfigMap !== undefined)
        return "existingConfigMap";
    if (volume.fileName !== undefined)
        return "file";
    if (volume.hostPath !== undefined)
        return "hostPath";
    if (volume.existingClaim !== undefined)
        return "existingClaim";
    return "claim";
}
function claimName(ctx, volume) {
    return joinName(ctx.name, volume.name);
}
/** The ConfigMap holding a `fileName`/`fileContent` volume. Prefixed with the app (onechart isn't) so two apps in one namespace can't collide. */
function fileConfigMapName(ctx, fileName) {
    return joinName(ctx.name, robustName(fileName).replace(/^-+/, ""));
}
/** True when a volume is a PersistentVolumeClaim, which a rolling update can't attach to two pods at once. */
function hasClaimVolumes(values) {
    return (values.volumes ?? []).some((volume) => ["claim", "existingClaim"].includes(volumeSource(volume)));
}
function podVolumes(values, ctx) {
    return (values.volumes ?? []).map((volume) => {
        switch (volumeSource(volume)) {
            case "emptyDir":
                return { name: volume.name, emptyDir: typeof volume.emptyDir === "object" ? volume.emptyDir : {} };
            case "existingConfigMap":
                return { name: volume.name, configMap: { name: volume.existingConfigMap } };
            case "file":
                return { name: volume.name, configMap: { name: fileConfigMapName(ctx, volume.fileName) } };
            case "hostPath":
                return { name: volume.name, hostPath: { ...volume.hostPath } };
            case "existingClaim":
                return { name: volume.name, persistentVolumeClaim: { claimName: volume.existingClaim } };
            default:
                return { name: volume.name, persistentVolumeClaim: { claimName: claimName(ctx, volume) } };
        }
    });
}
function volumeMounts(values) {
    return (values.volumes ?? []).map((volume) => ({
        name: volume.name,
        mountPath: volume.path,
        subPath: volume.subPath,
    }));
}
function persistentVolumeClaims(values, ctx) {
    return (values.volumes ?? [])
        .filter((volume) => volumeSource(volume) === "claim")
        .map((volume) => ({
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: objectMeta(ctx, claimName(ctx, volume), volume.pvcAnnotations),
        spec: {
            accessModes: volume.accessModes ?? [volume.accessMode ?? DEFAULT_ACCESS_MODE],
            storageClassName: volume.storageClass,
            resources: { requests: { storage: volume.size ?? DEFAULT_SIZE } },
        },
    }));
}
function fileConfigMaps(values, ctx) {
    return (values.volumes ?? [])
        .filter((volume) => volumeSource(volume) === "file")
        .map((volume) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: objectMeta(ctx, fileConfigMapName(ctx, volume.fileName)),
        data: { [volume.fileName]: volume.fileContent ?? "" },
    }));
}

;// CONCATENATED MODULE: ./shared/render/onechart/deployment.ts




function deployment_nonEmpty(value) {
    if (value === undefined)
        return undefined;
    return (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0) ? value : undefined;
}
/** Helm merges a user's map with the chart default key by key, and a `null` drops a default key. */
function mergeDefaults(defaults, given) {
    const merged = { ...defaults, ...given };
    return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
}
function affinity(values, ctx) {
    const spread = values.spreadAcrossNodes
        ? {
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                    {
                        labelSelector: {
                            matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: [ctx.name] }],
                        },
                        topologyKey: "kubernetes.io/hostname",
                    },
                ],
            },
        }
        : {};
    return deployment_nonEmpty({ ...spread, ...values.affinity });
}
function strategy(values, replicas) {
    if (values.strategy)
        return { type: values.strategy };
    // Two pods can't mount one ReadWriteOnce claim during a rolling update: replace the only pod instead.
    if (replicas === 1 && hasClaimVolumes(values))
        return { type: "Recreate" };
    return undefined;
}
function renderDeployment(values, ctx, checksum) {
    const replicas = values.replicas ?? 1;
    const podAnnotations = {
        ...(checksum ? { "checksum/config": checksum } : {}),
        ...values.podAnnotations,
        ...gitAnnotations(values, ["sha", "repository"]),
    };
    const imagePullSecrets = values.imagePullSecrets?.map((secret) => ({
        name: typeof secret === "string" ? secret : secret.name,
    }));
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: objectMeta(ctx, ctx.name, {
            "kubectl.kubernetes.io/default-container": ctx.name,
            ...gitAnnotations(values, ["sha", "repository", "branch"]),
        }),
        spec: {
            replicas,
            selector: { matchLabels: selectorLabels(ctx) },
            strategy: strategy(values, replicas),
            template: {
                metadata: { labels: { ...values.podLabels, ...commonLabels(ctx) }, annotations: deployment_nonEmpty(podAnnotations) },
                spec: {
                    imagePullSecrets: deployment_nonEmpty(imagePullSecrets),
                    securityContext: deployment_nonEmpty(mergeDefaults(ONECHART_DEFAULTS.podSecurityContext, values.podSecurityContext)),
                    serviceAccountName: values.serviceAccount,
                    containers: [renderContainer(values, ctx.name, volumeMounts(values))],
                    volumes: deployment_nonEmpty(podVolumes(values, ctx)),
                    nodeSelector: deployment_nonEmpty(values.nodeSelector),
                    affinity: affinity(values, ctx),
                    tolerations: deployment_nonEmpty(values.tolerations),
                },
            },
        },
    };
}
/** onechart keeps one pod up during voluntary disruptions (node drains) once there is more than one. */
function renderPodDisruptionBudget(values, ctx) {
    if ((values.replicas ?? 1) <= 1 || values.podDisruptionBudgetEnabled === false)
        return [];
    return [
        {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: objectMeta(ctx, ctx.name),
            spec: { minAvailable: 1, selector: { matchLabels: selectorLabels(ctx) } },
        },
    ];
}

;// CONCATENATED MODULE: ./shared/render/onechart/service.ts



function serviceType(values) {
    if (values.nodePortEnabled)
        return "NodePort";
    if (values.loadbalancerEnabled)
        return "LoadBalancer";
    return "ClusterIP";
}
/** The Service port an Ingress routes to: the single port, or the first of `ports[]`. */
function servicePort(values) {
    const first = values.ports?.[0];
    if (first)
        return first.svcPort ?? first.containerPort;
    return values.svcPort ?? values.containerPort ?? ONECHART_DEFAULTS.containerPort;
}
function servicePorts(values) {
    if (!values.ports) {
        return [
            { name: "http", port: servicePort(values), targetPort: "http", protocol: "TCP", nodePort: values.nodePort },
        ];
    }
    // targetPort by name, so the Service follows the container port it belongs to.
    return values.ports.map((port) => ({
        name: portName(port),
        port: port.svcPort ?? port.containerPort,
        targetPort: portName(port),
        protocol: port.protocol ?? "TCP",
        nodePort: port.nodePort,
    }));
}
function renderService(values, ctx) {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: objectMeta(ctx, ctx.name, {
            ...values.serviceAnnotations,
            ...gitAnnotations(values, ["sha", "repository", "branch"]),
        }),
        spec: { type: serviceType(values), ports: servicePorts(values), selector: selectorLabels(ctx) },
    };
}

;// CONCATENATED MODULE: ./shared/render/onechart/ingress.ts



/** `ingress` is named after the app; each of `ingresses[]` after the app and its host, as onechart names them. */
function ingressName(ctx, ingress, single) {
    return single ? ctx.name : joinName(ctx.name, hostSlug(ingress.host));
}
function renderIngress(values, ctx, ingress, single) {
    const name = ingressName(ctx, ingress, single);
    const backend = { service: { name: ctx.name, port: { number: servicePort(values) } } };
    const paths = (ingress.paths ?? [{ path: ingress.path ?? "/", pathType: ingress.pathType }]).map((entry) => ({
        path: entry.path,
        pathType: entry.pathType ?? "Prefix",
        backend,
    }));
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: objectMeta(ctx, name, { ...ingress.annotations, ...gitAnnotations(values, ["sha", "repository"]) }),
        spec: {
            ingressClassName: ingress.ingressClassName,
            tls: ingress.tlsEnabled
                ? [{ hosts: [ingress.host], secretName: ingress.secretName ?? `tls-${name}` }]
                : undefined,
            rules: [{ host: ingress.host, http: { paths } }],
        },
    };
}
function renderIngresses(values, ctx) {
    const objects = [];
    if (values.ingress)
        objects.push(renderIngress(values, ctx, values.ingress, true));
    for (const ingress of values.ingresses ?? [])
        objects.push(renderIngress(values, ctx, ingress, false));
    return objects;
}

;// CONCATENATED MODULE: ./shared/render/onechart/typeAt.ts
// Which onechart values want an integer or a boolean, so the template layer can turn a string that is exactly one
// template (`replicas: "{{ .REPLICAS }}"`) into the type the chart expects. Patterns are relative to `values`;
// `[]` stands for any list index, `*` for any map key. test/render/typeAt.test.ts checks every entry against the
// values schema, so the table can't drift from it.
const PROBE_SETTINGS = [
    "initialDelaySeconds",
    "periodSeconds",
    "successThreshold",
    "timeoutSeconds",
    "failureThreshold",
];
const ONECHART_VALUE_TYPES = [
    ["replicas", "integer"],
    ["containerPort", "integer"],
    ["svcPort", "integer"],
    ["nodePort", "integer"],
    ["ports[].containerPort", "integer"],
    ["ports[].svcPort", "integer"],
    ["ports[].nodePort", "integer"],
    ["nodePortEnabled", "boolean"],
    ["loadbalancerEnabled", "boolean"],
    ["secretEnabled", "boolean"],
    ["podDisruptionBudgetEnabled", "boolean"],
    ["spreadAcrossNodes", "boolean"],
    ["ingress.tlsEnabled", "boolean"],
    ["ingresses[].tlsEnabled", "boolean"],
    ["probe.enabled", "boolean"],
    ["livenessProbe.enabled", "boolean"],
    ...PROBE_SETTINGS.flatMap((key) => [
        [`probe.settings.${key}`, "integer"],
        [`livenessProbe.settings.${key}`, "integer"],
    ]),
    ["resources.ignore", "boolean"],
    ["resources.ignoreLimits", "boolean"],
    ["volumes[].emptyDir", "boolean"],
    ["existingSecrets[].optional", "boolean"],
    ["existingConfigMaps[].optional", "boolean"],
    // Pass-through Kubernetes fields that are commonly templated.
    ["podSecurityContext.fsGroup", "integer"],
    ["podSecurityContext.runAsUser", "integer"],
    ["podSecurityContext.runAsGroup", "integer"],
    ["podSecurityContext.runAsNonRoot", "boolean"],
    ["securityContext.runAsUser", "integer"],
    ["securityContext.runAsGroup", "integer"],
    ["securityContext.runAsNonRoot", "boolean"],
    ["securityContext.readOnlyRootFilesystem", "boolean"],
    ["securityContext.privileged", "boolean"],
    ["securityContext.allowPrivilegeEscalation", "boolean"],
    ["tolerations[].tolerationSeconds", "integer"],
];
function toSegments(pattern) {
    return pattern.replace(/\[\]/g, ".[]").split(".");
}
const TABLE = ONECHART_VALUE_TYPES.map(([pattern, type]) => ({ segments: toSegments(pattern), type }));
/** The type onechart wants at `path` (relative to the manifest root, e.g. `["values", "replicas"]`), if not a string. */
function onechartTypeAt(path) {
    if (path[0] !== "values")
        return undefined;
    const rest = path.slice(1);
    for (const { segments, type } of TABLE) {
        if (segments.length !== rest.length)
            continue;
        const matches = segments.every((segment, i) => {
            const part = rest[i];
            if (segment === "[]")
                return typeof part === "number" || (typeof part === "string" && /^\d+$/.test(part));
            if (segment === "*")
                return typeof part === "string";
            return part === segment;
        });
        if (matches)
            return type;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./shared/render/onechart/index.ts









/** The objects onechart renders for `values` (validated first: unknown keys and wrong types are ConfigErrors). */
function renderOnechart(rawValues, ctx) {
    const values = parseOnechartValues(rawValues);
    const configMaps = [...varsConfigMap(values, ctx), ...fileConfigMaps(values, ctx)];
    return [
        renderDeployment(values, ctx, configChecksum(configMaps)),
        renderService(values, ctx),
        ...renderIngresses(values, ctx),
        ...configMaps,
        ...persistentVolumeClaims(values, ctx),
        ...renderPodDisruptionBudget(values, ctx),
        ...sealedSecret(values, ctx),
    ];
}

;// CONCATENATED MODULE: ./shared/render/strategicMerge.ts



// A strategic merge in the spirit of `kubectl patch --type strategic` / kustomize patchesStrategicMerge, without
// the per-field OpenAPI metadata: maps merge recursively, `null` deletes a key, the lists below merge item by item
// on their name, every other list is replaced. `$patch: delete` removes a map or a list item, `$patch: replace`
// replaces a map (or, as a list item of its own, the whole list) instead of merging.
/** Lists merged item by item. Items are matched on `name`; port items without one on their port number. */
const MERGED_LISTS = new Set([
    "containers",
    "initContainers",
    "ephemeralContainers",
    "volumes",
    "env",
    "ports",
    "volumeMounts",
    "imagePullSecrets",
]);
class MergeError extends Error {
}
const DELETE = Symbol("delete");
function directive(value) {
    const patch = value.$patch;
    if (patch === undefined || patch === "merge")
        return "merge";
    if (patch === "delete" || patch === "replace")
        return patch;
    throw new MergeError(`unknown $patch: ${JSON.stringify(patch)} (use delete or replace)`);
}
/** A patch value with its `$patch` directives removed, for where it is inserted rather than merged. */
function stripDirectives(value) {
    if (Array.isArray(value))
        return value
            .filter((item) => !(isRecord(item) && item.$patch !== undefined && directive(item) !== "merge"))
            .map(stripDirectives);
    if (isRecord(value)) {
        const result = {};
        for (const [key, item] of Object.entries(value)) {
            if (key === "$patch" || item === null)
                continue;
            result[key] = stripDirectives(item);
        }
        return result;
    }
    return value;
}
function mergeKey(item) {
    if (!isRecord(item))
        return undefined;
    const key = item.name ?? item.containerPort ?? item.port;
    return key === undefined ? undefined : JSON.stringify(key);
}
function mergeList(target, patch) {
    if (patch.some((item) => isRecord(item) && item.$patch === "replace")) {
        return stripDirectives(patch.filter((item) => !(isRecord(item) && item.$patch === "replace")));
    }
    const result = cloneData(target);
    for (const item of patch) {
        const key = mergeKey(item);
        const existing = key === undefined ? -1 : result.findIndex((candidate) => mergeKey(candidate) === key);
        if (isRecord(item) && directive(item) === "delete") {
            if (existing >= 0)
                result.splice(existing, 1);
            continue;
        }
        if (existing >= 0 && isRecord(result[existing]) && isRecord(item)) {
            result[existing] = mergeMap(result[existing], item);
        }
        else {
            result.push(stripDirectives(item));
        }
    }
    return result;
}
function mergeMap(target, patch) {
    const mode = directive(patch);
    if (mode === "delete")
        return DELETE;
    if (mode === "replace")
        return stripDirectives(patch);
    const result = { ...target };
    for (const [key, value] of Object.entries(patch)) {
        if (key === "$patch")
            continue;
        const current = result[key];
        if (value === null) {
            delete result[key];
        }
        else if (isRecord(value)) {
            const merged = isRecord(current)
                ? mergeMap(current, value)
                : directive(value) === "delete"
                    ? DELETE
                    : stripDirectives(value);
            if (merged === DELETE)
                delete result[key];
            else
                result[key] = merged;
        }
        else if (Array.isArray(value)) {
            result[key] =
                MERGED_LISTS.has(key) && Array.isArray(current) ? mergeList(current, value) : stripDirectives(value);
        }
        else {
            result[key] = value;
        }
    }
    return result;
}
/** Apply every document of `strategicMergePatches` to the rendered object with its kind and name. */
function applyStrategicMergePatches(objects, text) {
    if (text === undefined || text.trim() === "")
        return objects;
    const documents = parseYamlStream(text, "strategicMergePatches");
    const result = [...objects];
    const problems = [];
    documents.forEach((doc, index) => {
        if (doc === null || doc === undefined)
            return;
        const path = `strategicMergePatches[${index}]`;
        const metadata = isRecord(doc) && isRecord(doc.metadata) ? doc.metadata : undefined;
        if (!isRecord(doc) || typeof doc.kind !== "string" || typeof metadata?.name !== "string") {
            problems.push({ path, message: "must be a map with kind and metadata.name naming the object to patch" });
            return;
        }
        const selector = {
            kind: doc.kind,
            name: metadata.name,
            namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
        };
        const targets = findTargets(result, selector);
        if (targets.length === 0) {
            problems.push({ path, message: noTargetMessage(result, selector) });
            return;
        }
        if (targets.length > 1) {
            problems.push({ path, message: `matches ${targets.length} objects; add metadata.namespace` });
            return;
        }
        const target = targets[0];
        // apiVersion and kind identify the target; the patch never rewrites them.
        const { apiVersion: _apiVersion, kind: _kind, ...body } = doc;
        try {
            const merged = mergeMap(result[target], body);
            if (merged === DELETE) {
                problems.push({
                    path,
                    message: "$patch: delete on a whole object is not supported; remove it from the manifest instead",
                });
                return;
            }
            result[target] = merged;
        }
        catch (error) {
            if (!(error instanceof MergeError))
                throw error;
            problems.push({ path, message: error.message });
        }
    });
    if (problems.length > 0)
        throw errors/* ConfigError */.xL.of(problems);
    return result;
}

// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease.mjs + 1 modules
var HelmRelease = __webpack_require__(1335);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization.mjs + 1 modules
var Kustomization = __webpack_require__(6032);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1/Receiver.mjs + 1 modules
var Receiver = __webpack_require__(3361);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert.mjs + 1 modules
var Alert = __webpack_require__(1399);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider.mjs + 1 modules
var Provider = __webpack_require__(6500);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository.mjs + 1 modules
var GitRepository = __webpack_require__(4445);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/Bucket.mjs + 1 modules
var Bucket = __webpack_require__(7641);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmChart.mjs + 1 modules
var HelmChart = __webpack_require__(8265);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/HelmRepository.mjs + 1 modules
var HelmRepository = __webpack_require__(7585);
// EXTERNAL MODULE: ./node_modules/@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1beta2/OCIRepository.mjs + 1 modules
var OCIRepository = __webpack_require__(5035);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/apps/v1/DaemonSet.mjs + 6 modules
var DaemonSet = __webpack_require__(6189);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/apps/v1/Deployment.mjs + 6 modules
var Deployment = __webpack_require__(8149);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/apps/v1/ReplicaSet.mjs + 4 modules
var ReplicaSet = __webpack_require__(3622);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/apps/v1/StatefulSet.mjs + 8 modules
var StatefulSet = __webpack_require__(5964);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/autoscaling/v1/HorizontalPodAutoscaler.mjs + 4 modules
var HorizontalPodAutoscaler = __webpack_require__(3139);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler.mjs + 23 modules
var v2_HorizontalPodAutoscaler = __webpack_require__(5670);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/batch/v1/CronJob.mjs + 4 modules
var CronJob = __webpack_require__(4508);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/batch/v1/Job.mjs + 4 modules
var Job = __webpack_require__(7824);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/networking.k8s.io/v1/Ingress.mjs + 13 modules
var Ingress = __webpack_require__(7201);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/networking.k8s.io/v1/IngressClass.mjs + 3 modules
var IngressClass = __webpack_require__(7021);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/networking.k8s.io/v1/NetworkPolicy.mjs + 7 modules
var NetworkPolicy = __webpack_require__(4799);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/policy/v1/PodDisruptionBudget.mjs + 3 modules
var PodDisruptionBudget = __webpack_require__(1726);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole.mjs + 2 modules
var ClusterRole = __webpack_require__(8294);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding.mjs + 1 modules
var ClusterRoleBinding = __webpack_require__(4008);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/rbac.authorization.k8s.io/v1/Role.mjs + 1 modules
var Role = __webpack_require__(9980);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding.mjs + 1 modules
var RoleBinding = __webpack_require__(5689);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/scheduling.k8s.io/v1/PriorityClass.mjs + 1 modules
var PriorityClass = __webpack_require__(1961);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/storage.k8s.io/v1/StorageClass.mjs + 3 modules
var StorageClass = __webpack_require__(3227);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/ConfigMap.mjs + 1 modules
var ConfigMap = __webpack_require__(19);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/Endpoints.mjs + 4 modules
var Endpoints = __webpack_require__(608);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/LimitRange.mjs + 3 modules
var LimitRange = __webpack_require__(6343);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/Namespace.mjs + 4 modules
var Namespace = __webpack_require__(5092);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/PersistentVolume.mjs + 16 modules
var PersistentVolume = __webpack_require__(9227);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/PersistentVolumeClaim.mjs + 1 modules
var PersistentVolumeClaim = __webpack_require__(5279);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/Pod.mjs + 16 modules
var Pod = __webpack_require__(6919);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/ResourceQuota.mjs + 5 modules
var ResourceQuota = __webpack_require__(3480);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/Secret.mjs + 1 modules
var Secret = __webpack_require__(6661);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/Service.mjs + 9 modules
var Service = __webpack_require__(9931);
// EXTERNAL MODULE: ./node_modules/kubernetes-models/v1/ServiceAccount.mjs + 1 modules
var ServiceAccount = __webpack_require__(6022);
;// CONCATENATED MODULE: ./shared/render/validate.ts











































/**
 * apiVersion + kind → the schema to validate against. @kubernetes-models/flux-cd 2.3.4 predates some Flux GA
 * versions, so those are validated against the last beta with the apiVersion swapped: HelmRelease v2 as v2beta2
 * (its `chartRef` is checked here, since v2beta2 has no such field) and source v1 HelmRepository/HelmChart/Bucket/
 * OCIRepository as v1beta2. The GA versions only added fields, so a valid object stays valid.
 */
const SCHEMAS = {
    "v1/ConfigMap": { model: ConfigMap/* ConfigMap */.z },
    "v1/Endpoints": { model: Endpoints/* Endpoints */.R },
    "v1/LimitRange": { model: LimitRange/* LimitRange */.R },
    "v1/Namespace": { model: Namespace/* Namespace */.g },
    "v1/PersistentVolume": { model: PersistentVolume/* PersistentVolume */.w },
    "v1/PersistentVolumeClaim": { model: PersistentVolumeClaim/* PersistentVolumeClaim */.i },
    "v1/Pod": { model: Pod/* Pod */.w },
    "v1/ResourceQuota": { model: ResourceQuota/* ResourceQuota */.H },
    "v1/Secret": { model: Secret/* Secret */.z },
    "v1/Service": { model: Service/* Service */.k },
    "v1/ServiceAccount": { model: ServiceAccount/* ServiceAccount */.V },
    "apps/v1/DaemonSet": { model: DaemonSet/* DaemonSet */.r },
    "apps/v1/Deployment": { model: Deployment/* Deployment */.S },
    "apps/v1/ReplicaSet": { model: ReplicaSet/* ReplicaSet */.n },
    "apps/v1/StatefulSet": { model: StatefulSet/* StatefulSet */.V },
    "autoscaling/v1/HorizontalPodAutoscaler": { model: HorizontalPodAutoscaler/* HorizontalPodAutoscaler */.T },
    "autoscaling/v2/HorizontalPodAutoscaler": { model: v2_HorizontalPodAutoscaler/* HorizontalPodAutoscaler */.T },
    "batch/v1/CronJob": { model: CronJob/* CronJob */.y },
    "batch/v1/Job": { model: Job/* Job */._ },
    "networking.k8s.io/v1/Ingress": { model: Ingress/* Ingress */.G },
    "networking.k8s.io/v1/IngressClass": { model: IngressClass/* IngressClass */.w },
    "networking.k8s.io/v1/NetworkPolicy": { model: NetworkPolicy/* NetworkPolicy */.R },
    "policy/v1/PodDisruptionBudget": { model: PodDisruptionBudget/* PodDisruptionBudget */.i },
    "rbac.authorization.k8s.io/v1/ClusterRole": { model: ClusterRole/* ClusterRole */.B },
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": { model: ClusterRoleBinding/* ClusterRoleBinding */.U },
    "rbac.authorization.k8s.io/v1/Role": { model: Role/* Role */.X },
    "rbac.authorization.k8s.io/v1/RoleBinding": { model: RoleBinding/* RoleBinding */.y },
    "scheduling.k8s.io/v1/PriorityClass": { model: PriorityClass/* PriorityClass */.V },
    "storage.k8s.io/v1/StorageClass": { model: StorageClass/* StorageClass */.K },
    "helm.toolkit.fluxcd.io/v2/HelmRelease": { model: HelmRelease/* HelmRelease */.o, as: "helm.toolkit.fluxcd.io/v2beta2" },
    "helm.toolkit.fluxcd.io/v2beta2/HelmRelease": { model: HelmRelease/* HelmRelease */.o },
    "kustomize.toolkit.fluxcd.io/v1/Kustomization": { model: Kustomization/* Kustomization */.m },
    "notification.toolkit.fluxcd.io/v1/Receiver": { model: Receiver/* Receiver */.i },
    "notification.toolkit.fluxcd.io/v1beta3/Alert": { model: Alert/* Alert */.F },
    "notification.toolkit.fluxcd.io/v1beta3/Provider": { model: Provider/* Provider */.K },
    "source.toolkit.fluxcd.io/v1/GitRepository": { model: GitRepository/* GitRepository */.x },
    "source.toolkit.fluxcd.io/v1/Bucket": { model: Bucket/* Bucket */.f, as: "source.toolkit.fluxcd.io/v1beta2" },
    "source.toolkit.fluxcd.io/v1/HelmChart": { model: HelmChart/* HelmChart */.B, as: "source.toolkit.fluxcd.io/v1beta2" },
    "source.toolkit.fluxcd.io/v1/HelmRepository": { model: HelmRepository/* HelmRepository */.z, as: "source.toolkit.fluxcd.io/v1beta2" },
    "source.toolkit.fluxcd.io/v1/OCIRepository": { model: OCIRepository/* OCIRepository */.g, as: "source.toolkit.fluxcd.io/v1beta2" },
    "source.toolkit.fluxcd.io/v1beta2/Bucket": { model: Bucket/* Bucket */.f },
    "source.toolkit.fluxcd.io/v1beta2/HelmChart": { model: HelmChart/* HelmChart */.B },
    "source.toolkit.fluxcd.io/v1beta2/HelmRepository": { model: HelmRepository/* HelmRepository */.z },
    "source.toolkit.fluxcd.io/v1beta2/OCIRepository": { model: OCIRepository/* OCIRepository */.g },
};
function hasSchema(apiVersion, kind) {
    return Object.hasOwn(SCHEMAS, `${apiVersion}/${kind}`);
}
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const validate_LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// RBAC objects may be named like `system:controller:x`; Kubernetes only asks them to be a valid path segment.
const PATH_SEGMENT_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
function nameProblems(object) {
    const { name, namespace } = object.metadata;
    const problems = [];
    if (object.kind === "Service" && !DNS_1035_LABEL.test(name)) {
        problems.push(`metadata.name: "${name}" must start with a letter and be a DNS label (Service names can't start with a digit)`);
    }
    else if (object.kind === "Namespace" && !names/* DNS_LABEL */.HR.test(name)) {
        problems.push(`metadata.name: "${name}" must be a DNS label`);
    }
    else if (PATH_SEGMENT_KINDS.has(object.kind) ? /[/%]|^\.\.?$/.test(name) : !(DNS_SUBDOMAIN.test(name) && name.length <= 253)) {
        problems.push(`metadata.name: "${name}" must be a DNS subdomain: lowercase letters, digits, '-' and '.'`);
    }
    if (namespace !== undefined && (typeof namespace !== "string" || !names/* DNS_LABEL */.HR.test(namespace))) {
        problems.push(`metadata.namespace: "${String(namespace)}" must be a DNS label`);
    }
    return problems;
}
function labelProblems(labels, path) {
    if (!isRecord(labels))
        return [];
    return Object.entries(labels).flatMap(([key, value]) => {
        const problems = [];
        if (!LABEL_NAME.test(key))
            problems.push(`${path}: "${key}" is not a valid label name`);
        if (typeof value === "string" && !(validate_LABEL_VALUE.test(value) && value.length <= 63)) {
            problems.push(`${path}.${key}: "${value}" is not a valid label value (at most 63 letters, digits, '-', '_', '.')`);
        }
        return problems;
    });
}
function dotted(instancePath) {
    return instancePath
        .split("/")
        .slice(1)
        .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((out, token) => (/^\d+$/.test(token) ? `${out}[${token}]` : out ? `${out}.${token}` : token), "");
}
/** ajv errors as readable lines; a oneOf (int-or-string, quantity) becomes one line instead of three. */
function schemaMessages(errors) {
    const byPath = new Map();
    for (const error of errors)
        byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
    const messages = [];
    for (const [instancePath, group] of byPath) {
        const at = dotted(instancePath);
        const union = group.some((error) => error.keyword === "oneOf" || error.keyword === "anyOf");
        if (union) {
            const types = [
                ...new Set(group.filter((error) => error.keyword === "type").map((error) => String(error.params?.type))),
            ];
            messages.push(`${at || "(root)"}: must be ${types.length > 0 ? `a ${types.join(" or ")}` : "one of the allowed forms"}`);
            continue;
        }
        const hasTypeError = group.some((error) => error.keyword === "type");
        for (const error of group) {
            if (hasTypeError && error.keyword === "format")
                continue;
            if (error.keyword === "required") {
                const property = String(error.params?.missingProperty);
                messages.push(`${at ? `${at}.` : ""}${property}: is required`);
            }
            else if (error.keyword === "enum") {
                messages.push(`${at || "(root)"}: must be one of ${JSON.stringify(error.params?.allowedValues)}`);
            }
            else {
                messages.push(`${at || "(root)"}: ${error.message ?? error.keyword}`);
            }
        }
    }
    return messages;
}
/** HelmRelease v2's chartRef, which the v2beta2 schema doesn't know: checked here, then swapped for a placeholder chart. */
function prepareHelmReleaseV2(object, problems) {
    const spec = isRecord(object.spec) ? object.spec : undefined;
    if (!spec || spec.chartRef === undefined)
        return object;
    const ref = spec.chartRef;
    if (spec.chart !== undefined)
        problems.push("spec: set chart or chartRef, not both");
    if (!isRecord(ref) || (ref.kind !== "OCIRepository" && ref.kind !== "HelmChart"))
        problems.push("spec.chartRef.kind: must be OCIRepository or HelmChart");
    if (!isRecord(ref) || typeof ref.name !== "string" || ref.name === "")
        problems.push("spec.chartRef.name: is required");
    const { chartRef: _chartRef, ...rest } = spec;
    return {
        ...object,
        spec: {
            ...rest,
            chart: { spec: { chart: "placeholder", sourceRef: { kind: "HelmRepository", name: "placeholder" } } },
        },
    };
}
/** Problems with one object: its identity, names and labels, then its Kubernetes schema when we have one. */
function objectProblems(object) {
    const identity = identityProblems(object);
    if (identity.length > 0)
        return identity;
    const problems = [...nameProblems(object), ...labelProblems(object.metadata.labels, "metadata.labels")];
    const template = isRecord(object.spec) && isRecord(object.spec.template) && isRecord(object.spec.template.metadata)
        ? object.spec.template.metadata
        : undefined;
    if (template)
        problems.push(...labelProblems(template.labels, "spec.template.metadata.labels"));
    const entry = SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (!entry)
        return problems;
    let data = object;
    if (object.apiVersion === "helm.toolkit.fluxcd.io/v2" && object.kind === "HelmRelease")
        data = prepareHelmReleaseV2(object, problems);
    if (entry.as)
        data = { ...data, apiVersion: entry.as };
    try {
        new entry.model(data).validate();
    }
    catch (error) {
        const errors = error.errors;
        if (!Array.isArray(errors))
            throw error;
        problems.push(...schemaMessages(errors));
    }
    return problems;
}
/** Validate every object; all problems at once as `<kind>/<name>: <message>`. */
function validateObjects(objects) {
    const problems = [];
    objects.forEach((object, index) => {
        const path = typeof object?.kind === "string" && typeof object?.metadata?.name === "string"
            ? `${object.kind}/${object.metadata.name}`
            : `objects[${index}]`;
        for (const message of objectProblems(object))
            problems.push({ path, message });
    });
    if (problems.length > 0)
        throw errors/* ConfigError */.xL.of(problems);
}

// EXTERNAL MODULE: ./shared/policy/glob.ts
var policy_glob = __webpack_require__(8743);
;// CONCATENATED MODULE: ./shared/render/admission.ts



/** Rendered objects an environment refuses: a ConfigError whose problems name each object. */
class ObjectsNotAllowed extends errors/* ConfigError */.xL {
    reasonCode = "object_not_allowed";
    static of(problems, summary) {
        return new ObjectsNotAllowed(summary ?? (0,errors/* formatProblems */.C5)(problems), problems);
    }
}
const objectPath = (object) => `${object.kind}/${object.metadata?.name ?? "?"}`;
/**
 * Every rendered object the env refuses, as `Kind/name: message` (onechart output, raw manifests and patched objects
 * alike: this runs on the final objects). A namespaced object without a namespace lands in the namespace Flux
 * applies to, which the env can't vouch for, so with `namespaces` set it must name one. A HelmRelease is checked by
 * its own namespace and `spec.targetNamespace`; what its chart creates is up to helm-controller's service account.
 */
function admission_objectProblems(objects, rules, env) {
    const problems = [];
    const allowedNamespace = rules.namespaces?.length
        ? (ns) => (rules.namespaces ?? []).some((glob) => (0,policy_glob/* compileGlob */.SO)(glob)(ns))
        : undefined;
    const clusterScoped = rules.clusterScoped ?? false;
    for (const object of objects) {
        const path = objectPath(object);
        if (isClusterScoped(object.kind)) {
            const allowed = clusterScoped === true || (Array.isArray(clusterScoped) && clusterScoped.includes(object.kind));
            if (!allowed)
                problems.push({
                    path,
                    message: `${object.kind} is cluster-scoped; ${env} allows ${Array.isArray(clusterScoped) && clusterScoped.length
                        ? `only ${clusterScoped.join(", ")}`
                        : "no cluster-scoped objects"} (clusterScoped in .github/gimlet.yml)`,
                });
            continue;
        }
        if (!allowedNamespace)
            continue;
        const namespaces = [object.metadata?.namespace];
        const target = object.spec?.targetNamespace;
        if (object.kind === "HelmRelease" && typeof target === "string")
            namespaces.push(target);
        for (const ns of namespaces) {
            if (ns === undefined || ns === "")
                problems.push({
                    path,
                    message: `no namespace; ${env} allows namespaces ${rules.namespaces?.join(", ")}: set namespace in the manifest`,
                });
            else if (!allowedNamespace(ns))
                problems.push({
                    path,
                    message: `namespace ${ns} is not allowed in ${env} (namespaces: ${rules.namespaces?.join(", ")})`,
                });
        }
    }
    return problems;
}
/** Throw ObjectsNotAllowed listing every refused object; nothing is written before this passes. */
function assertObjectsAllowed(objects, rules, env) {
    const problems = admission_objectProblems(objects, rules, env);
    if (problems.length)
        throw ObjectsNotAllowed.of(problems);
}

;// CONCATENATED MODULE: ./shared/render/files.ts


const GENERATED_HEADER = "# Generated by gimlet";
// Keys that lead wherever they appear, in this order; every other key follows alphabetically. So `apiVersion,
// kind, metadata` open each object, `name, namespace, labels, annotations` each metadata, and `name` each container,
// port and volume, as people write them.
const LEADING_KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations"];
function compareKeys(a, b) {
    const ia = LEADING_KEYS.indexOf(a);
    const ib = LEADING_KEYS.indexOf(b);
    if (ia >= 0 || ib >= 0)
        return (ia < 0 ? LEADING_KEYS.length : ia) - (ib < 0 ? LEADING_KEYS.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
}
/** A copy with every map's keys in the stable order and `undefined` members dropped. */
function orderKeys(value) {
    if (Array.isArray(value))
        return value.map(orderKeys);
    if (!isRecord(value))
        return value;
    const ordered = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
        if (value[key] !== undefined)
            ordered[key] = orderKeys(value[key]);
    }
    return ordered;
}
/**
 * YAML for one object. The dump schema quotes every string another YAML parser could read as something else
 * (`"yes"`, `"on"`, `"0x1F"`, `"1.0"`), so kubectl and kustomize (YAML 1.1) read back exactly the same strings.
 */
function objectYaml(object) {
    return (0,js_yaml/* dump */.Bh)(orderKeys(object), { lineWidth: -1, noRefs: true, quoteStyle: "double" });
}
/**
 * The file an object kind is written to. Flux's kustomize-controller reads a file named `kustomization.yaml` as
 * kustomize's own config, so Flux Kustomization objects go to `flux-kustomization.yaml` instead.
 */
function fileNameForKind(kind) {
    const base = kind.toLowerCase();
    return base === "kustomization" ? "flux-kustomization.yaml" : `${base}.yaml`;
}
function compareObjects(a, b) {
    const keyA = [a.metadata.name, a.metadata.namespace ?? "", a.apiVersion];
    const keyB = [b.metadata.name, b.metadata.namespace ?? "", b.apiVersion];
    for (let i = 0; i < keyA.length; i++) {
        if (keyA[i] !== keyB[i])
            return keyA[i] < keyB[i] ? -1 : 1;
    }
    return 0;
}
/** One file per object kind, objects sorted by name inside it, files sorted by path: the same objects always give the same bytes. */
function toRenderedFiles(objects) {
    const byFile = new Map();
    for (const object of objects) {
        const path = fileNameForKind(object.kind);
        byFile.set(path, [...(byFile.get(path) ?? []), object]);
    }
    return [...byFile.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, group]) => ({
        path,
        content: `${GENERATED_HEADER}\n${[...group].sort(compareObjects).map(objectYaml).join("---\n")}`,
    }));
}

;// CONCATENATED MODULE: ./shared/render/index.ts
















/**
 * The Kubernetes objects of one (already templated) manifest: the chart's objects (onechart built in, any other
 * chart as a Flux HelmRelease), then `manifests`, then `strategicMergePatches`, then `json6902Patches` (the order
 * kustomize applies them in), each object validated against its schema. Pure: same manifest, same objects.
 * Throws ConfigError listing every problem as `path: message`.
 */
function renderObjects(manifest) {
    const chart = manifest.chart;
    let objects;
    if (!chart || isOnechart(chart)) {
        objects = renderOnechart(manifest.values, renderContext(manifest, "onechart"));
    }
    else {
        objects = renderHelmRelease(chart, manifest.values, renderContext(manifest, chart.name));
    }
    objects = [...objects, ...parseRawManifests(manifest.manifests, manifest.namespace)];
    objects = cloneData(objects);
    rejectDuplicates(objects);
    objects = applyStrategicMergePatches(objects, manifest.strategicMergePatches);
    objects = applyJson6902Patches(objects, manifest.json6902Patches);
    validateObjects(objects);
    rejectDuplicates(objects);
    return objects;
}
/** Two objects with one kind, namespace and name would overwrite each other in the cluster. */
function rejectDuplicates(objects) {
    const seen = new Set();
    const duplicates = new Set();
    for (const object of objects) {
        const id = objectId(object);
        if (seen.has(id))
            duplicates.add(id);
        seen.add(id);
    }
    if (duplicates.size > 0) {
        throw errors/* ConfigError */.xL.of([...duplicates].map((id) => ({
            path: id,
            message: "is rendered twice; rename one, or patch the rendered object instead of adding it",
        })));
    }
}


/***/ })

};
