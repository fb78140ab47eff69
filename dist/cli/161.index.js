export const id = 161;
export const ids = [161];
export const modules = {

/***/ 9161:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   assertReleasesAllowed: () => (/* binding */ assertReleasesAllowed),
/* harmony export */   lintAgainstConfig: () => (/* binding */ lintAgainstConfig),
/* harmony export */   readConfigOption: () => (/* binding */ readConfigOption)
/* harmony export */ });
/* unused harmony export releaseProblems */
/* harmony import */ var _shared_config_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9264);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2635);
/* harmony import */ var _shared_release_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5678);
/* harmony import */ var _shared_render_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3465);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8147);





/** `--config`: the environments' rules (namespaces, clusterScoped) from a `.github/gimlet.yml`. */
function readConfigOption(cwd, file) {
    return file === undefined ? undefined : (0,_shared_config_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseGimletConfigYaml */ .RQ)((0,_files_js__WEBPACK_IMPORTED_MODULE_4__/* .readText */ .yR)(cwd, file), file);
}
/** Values for the built-in variables when linting without an artifact, so templates render. */
const LINT_VARIABLES = {
    REPO: "owner/repo",
    OWNER: "owner",
    BRANCH: "main",
    TAG: "v0.0.0",
    SHA: "0000000000000000000000000000000000000000",
    ACTOR: "gimlet",
    EVENT: "push",
    JOB: "lint",
    PR_NUMBER: "1",
};
/** Every rendered object the file's env refuses, as `file: Kind/name: message` (the app runs the same check). */
function releaseProblems(config, file, release) {
    const env = config.environments[release.env];
    if (!env)
        return [{ path: `${file}: env`, message: `${release.env} is not configured in the --config file` }];
    return (0,_shared_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .objectProblems */ .oQ)(release.objects, env, release.env).map((p) => ({ ...p, path: `${file}: ${p.path}` }));
}
/** Render each manifest (built-ins stubbed, `vars` on top) and check its objects against its env's rules. */
function lintAgainstConfig(config, loaded, vars) {
    const problems = [];
    for (const { file, manifest } of loaded) {
        try {
            problems.push(...releaseProblems(config, file, (0,_shared_release_index_js__WEBPACK_IMPORTED_MODULE_2__.renderWithVariables)(manifest, { ...LINT_VARIABLES, ...vars }, file)));
        }
        catch (error) {
            if (!(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL))
                throw error;
            problems.push(...error.problems);
        }
    }
    if (problems.length)
        throw _shared_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .ObjectsNotAllowed */ .Ci.of(problems);
}
/** Throw when a rendered release puts objects its env refuses. */
function assertReleasesAllowed(config, releases) {
    const problems = releases.flatMap(({ file, release }) => releaseProblems(config, file, release));
    if (problems.length)
        throw _shared_render_index_js__WEBPACK_IMPORTED_MODULE_3__/* .ObjectsNotAllowed */ .Ci.of(problems);
}


/***/ })

};
