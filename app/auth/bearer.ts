import { unauthorized } from "./errors.js";

/** The token of an `Authorization: Bearer <token>` header; AuthError 401 when missing or of another scheme. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === "")
    throw unauthorized("missing_token", "missing Authorization: Bearer <token>");
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  // The header's content is not echoed: a token sent without its scheme would end up in logs.
  const token = match?.[1];
  if (!token)
    throw unauthorized(
      "malformed_token",
      'the Authorization header must be "Bearer <token>" (one token, no other scheme)',
    );
  return token;
}
