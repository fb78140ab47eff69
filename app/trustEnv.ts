import { z } from "zod";

/**
 * Trust boundaries and GitHub Enterprise (issue 10): the variables, merged into the server's env schema.
 * GHE_HOST/GHE_PROTOCOL point REST (`/api/v3`), the App's JWT calls and git at one host.
 */
export const trustEnvShape = {
  FLUX_WEBHOOK_SECRETS: z.string().optional(),
  GIMLET_REQUIRE_ORG_CONFIG: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  GHE_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "must be a host name (and :port), without scheme or path, e.g. ghe.acme.dev")
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  GHE_ORG: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, "must be an organisation name")
    .optional(),
};
