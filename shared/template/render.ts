import type { ParsedTemplate } from "./ast.js";
import { locationOf, problemOf, type TemplateContext, TemplateError } from "./errors.js";
import { evaluateTemplate, type Variables } from "./evaluate.js";
import { parseTemplate } from "./parser.js";

export function hasTemplate(text: string): boolean {
  return text.includes("{{");
}

/** Render one string; a string without `{{` comes back as is. */
export function renderString(template: string, vars: Variables, ctx?: TemplateContext): string {
  if (!hasTemplate(template)) return template;
  try {
    return evaluateTemplate(parseTemplate(template), vars);
  } catch (error) {
    throw TemplateError.of([problemOf(error, locationOf(ctx))]);
  }
}

/**
 * True when the whole string is one action (`{{ .REPLICAS }}`), so its result may take the type the
 * schema wants. Text or another action around it keeps the result a string.
 */
export function isSingleAction(template: ParsedTemplate): boolean {
  const { source, nodes } = template;
  return source.startsWith("{{") && source.endsWith("}}") && nodes.length === 1 && nodes[0]?.kind === "action";
}
