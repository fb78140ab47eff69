import type { IncomingMessage } from "node:http";
import { formatBytes } from "../../shared/manifest/yaml.js";
import { defaultLimits } from "../limits.js";
import { HttpError } from "./errors.js";
import { checkJsonDepth } from "./json.js";

/** Read the raw body, refusing more than `limit` bytes as soon as it is exceeded (413), without buffering the rest. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, "too_large", `the body is ${formatBytes(declared)}; the limit is ${formatBytes(limit)}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, "too_large", `the body is over the limit of ${formatBytes(limit)}`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parse a JSON body, refusing one nested deeper than `maxDepth` before parsing it. */
export function parseJson(raw: Buffer, maxDepth: number = defaultLimits.jsonMaxDepth): unknown {
  if (raw.length === 0) throw new HttpError(400, "config_invalid", "the body is empty; expected JSON");
  checkJsonDepth(raw, maxDepth);
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "config_invalid", `the body is not valid JSON: ${(error as Error).message}`);
  }
}
