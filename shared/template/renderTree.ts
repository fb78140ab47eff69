import type { Problem } from "../errors.js";
import { formatPath } from "../validation.js";
import { locationOf, problemOf, type TemplateContext, TemplateError, TemplateFault } from "./errors.js";
import { evaluateTemplate, type Variables } from "./evaluate.js";
import { parseTemplate } from "./parser.js";
import { hasTemplate, isSingleAction } from "./render.js";
import { convertRendered, type WantedType } from "./typed.js";

export type TreePath = ReadonlyArray<string | number>;

export interface RenderTreeContext extends TemplateContext {
  /** The type the schema wants at a path (relative to the rendered value), for one-action strings. */
  typeAt?: (path: TreePath) => WantedType | undefined;
}

/** Values nest a few levels; this only stops a hostile or cyclic tree from overflowing the stack. */
const MAX_TREE_DEPTH = 100;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Render every templated string in a tree of plain objects and arrays. Keys are never templated,
 * other values are kept, the input is not touched. Every problem in the tree is reported at once.
 */
export function renderTree(value: unknown, vars: Variables, ctx: RenderTreeContext = {}): unknown {
  const walker = new TreeRenderer(vars, ctx);
  const result = walker.walk(value, [], new Set());
  if (walker.problems.length > 0) throw TemplateError.of(walker.problems);
  return result;
}

class TreeRenderer {
  readonly problems: Problem[] = [];

  constructor(
    private readonly vars: Variables,
    private readonly ctx: RenderTreeContext,
  ) {}

  walk(value: unknown, path: (string | number)[], ancestors: Set<object>): unknown {
    if (typeof value === "string") return hasTemplate(value) ? this.renderValue(value, path) : value;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (ancestors.has(value) || path.length >= MAX_TREE_DEPTH) {
      this.problems.push({
        path: this.location(path),
        message: ancestors.has(value)
          ? "the value refers to itself"
          : `values are nested deeper than ${MAX_TREE_DEPTH} levels`,
      });
      return value;
    }
    ancestors.add(value);
    let result: unknown;
    if (Array.isArray(value)) {
      result = value.map((item, index) => this.walk(item, [...path, index], ancestors));
    } else {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        // defineProperty, so that a "__proto__" key stays a plain key.
        Object.defineProperty(out, key, {
          value: this.walk(item, [...path, key], ancestors),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      result = out;
    }
    ancestors.delete(value);
    return result;
  }

  private renderValue(text: string, path: TreePath): unknown {
    try {
      const template = parseTemplate(text);
      const rendered = evaluateTemplate(template, this.vars);
      const wanted = isSingleAction(template) ? this.ctx.typeAt?.(path) : undefined;
      if (!wanted) return rendered;
      const converted = convertRendered(rendered, wanted);
      if (!converted.ok) throw new TemplateFault(converted.message);
      return converted.value;
    } catch (error) {
      this.problems.push(problemOf(error, this.location(path)));
      return text;
    }
  }

  /** `.gimlet/staging.yaml: values.ports[0].name`. */
  private location(path: TreePath): string {
    const relative = formatPath(path);
    const base = this.ctx.path ?? "";
    const joined = !base
      ? relative
      : !relative
        ? base
        : relative.startsWith("[")
          ? base + relative
          : `${base}.${relative}`;
    return locationOf({ file: this.ctx.file, path: joined });
  }
}
