import { cloneData, deepEqual, isRecord } from "./yaml.js";

// RFC 6902 JSON Patch over plain data, with RFC 6901 JSON pointers. Pure: the input is never mutated, and a
// patch applies all its operations or none (a failing one throws JsonPatchError naming the operation).

export interface JsonPatchOperation {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

export class JsonPatchError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
    this.name = "JsonPatchError";
  }
}

class PointerError extends Error {}

/** `/a/b~1c/0` → `["a", "b/c", "0"]`; `""` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
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

function arrayIndex(container: unknown[], token: string, forInsert: boolean, pointer: string): number {
  if (forInsert && token === "-") return container.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PointerError(`"${pointer}": "${token}" is not an array index`);
  const index = Number(token);
  const limit = forInsert ? container.length : container.length - 1;
  if (index > limit)
    throw new PointerError(`"${pointer}": index ${index} is out of bounds (the array has ${container.length} items)`);
  return index;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: unknown; key: string } {
  let current = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false, pointer)];
    else if (isRecord(current) && Object.hasOwn(current, token)) current = current[token];
    else throw new PointerError(`"${pointer}": path does not exist`);
  }
  return { parent: current, key: tokens[tokens.length - 1] as string };
}

function getValue(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, false, pointer)];
  if (isRecord(parent) && Object.hasOwn(parent, key)) return parent[key];
  throw new PointerError(`"${pointer}": path does not exist`);
}

function addValue(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else if (isRecord(parent)) parent[key] = value;
  else throw new PointerError(`"${pointer}": the parent is not an object or array`);
  return doc;
}

function removeValue(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PointerError("can't remove the whole document");
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, pointer), 1);
  else if (isRecord(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw new PointerError(`"${pointer}": path does not exist`);
  return doc;
}

function replaceValue(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false, pointer)] = value;
  else if (isRecord(parent) && Object.hasOwn(parent, key)) parent[key] = value;
  else throw new PointerError(`"${pointer}": path does not exist`);
  return doc;
}

function applyOperation(doc: unknown, operation: JsonPatchOperation): unknown {
  const needsValue = operation.op === "add" || operation.op === "replace" || operation.op === "test";
  if (needsValue && !("value" in operation)) throw new PointerError(`${operation.op} needs a value`);
  const needsFrom = operation.op === "move" || operation.op === "copy";
  if (needsFrom && typeof operation.from !== "string") throw new PointerError(`${operation.op} needs from`);
  switch (operation.op) {
    case "add":
      return addValue(doc, operation.path, cloneData(operation.value));
    case "remove":
      return removeValue(doc, operation.path);
    case "replace":
      return replaceValue(doc, operation.path, cloneData(operation.value));
    case "move": {
      const from = operation.from as string;
      if (operation.path !== from && operation.path.startsWith(`${from}/`)) {
        throw new PointerError(`can't move "${from}" into its own child "${operation.path}"`);
      }
      const value = getValue(doc, from);
      return addValue(removeValue(doc, from), operation.path, value);
    }
    case "copy":
      return addValue(doc, operation.path, cloneData(getValue(doc, operation.from as string)));
    case "test": {
      const actual = getValue(doc, operation.path);
      if (!deepEqual(actual, operation.value)) {
        throw new PointerError(
          `test failed at "${operation.path}": expected ${JSON.stringify(operation.value)}, found ${JSON.stringify(actual)}`,
        );
      }
      return doc;
    }
    default:
      throw new PointerError(`unknown op "${String((operation as { op: unknown }).op)}"`);
  }
}

/** Apply `operations` to a copy of `doc`; throws JsonPatchError with the index of the failing operation. */
export function applyJsonPatch<T>(doc: T, operations: readonly JsonPatchOperation[]): unknown {
  let result: unknown = cloneData(doc);
  operations.forEach((operation, index) => {
    try {
      result = applyOperation(result, operation);
    } catch (error) {
      if (error instanceof PointerError) throw new JsonPatchError(index, error.message);
      throw error;
    }
  });
  return result;
}
