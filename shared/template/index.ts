/**
 * The template language of DESIGN §4: a Go text/template subset over string values.
 * lexer → parser (ast) → evaluate (functions, printf); renderString / renderTree are the entry points.
 */
export { type TemplateContext, TemplateError } from "./errors.js";
export { hasTemplate, renderString } from "./render.js";
export { renderTree, type TreePath } from "./renderTree.js";
export { sanitizeDNSName } from "./sanitize.js";
export type { WantedType } from "./typed.js";
