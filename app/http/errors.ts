import { GimletError, type Problem } from "../../shared/errors.js";
import { AuthError } from "../auth/errors.js";
import { ForgePermissionError } from "../github/errors.js";

/** An HTTP-level refusal: the status and the error body of DESIGN §8. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: Array<{ path: string; message: string }>; reasonCode?: string };
}

const statusOfCode: Record<string, number> = {
  config_invalid: 400,
  policy_denied: 409,
  conflict: 409,
  transient: 503,
  not_found: 404,
  internal: 500,
};

/** Map any error to a status and a body a user can act on; never a stack trace. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, details: error.details } },
    };
  if (error instanceof AuthError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.status === 401 ? "unauthenticated" : "forbidden",
          message: error.message,
          details: [],
          reasonCode: error.reason,
        },
      },
    };
  }
  if (error instanceof ForgePermissionError) {
    return { status: 502, body: { error: { code: "github_permission", message: error.message, details: [] } } };
  }
  if (error instanceof GimletError) {
    const message = error.problems.length ? summary(error) : error.message;
    // A refusal says why in a code a script can branch on (repository_not_allowed, object_not_allowed, ...).
    const reasonCode = (error as { reasonCode?: unknown }).reasonCode;
    // A refusal that passes with time (503) says when to ask again.
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      ...(typeof retryAfter === "number" ? { headers: { "retry-after": String(retryAfter) } } : {}),
      status: statusOfCode[error.code] ?? 500,
      body: {
        error: {
          code: error.code,
          message,
          details: error.problems,
          ...(typeof reasonCode === "string" ? { reasonCode } : {}),
        },
      },
    };
  }
  return {
    status: 500,
    body: { error: { code: "internal", message: "internal error; the server log has the details", details: [] } },
  };
}

function summary(error: GimletError): string {
  const [only, ...more] = error.problems;
  return only && more.length === 0
    ? `${only.path ? `${only.path}: ` : ""}${only.message}`
    : `${error.problems.length} problems: ${error.problems.map((p) => p.path).join(", ")}`;
}
