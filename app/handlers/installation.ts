import { z } from "zod";
import { webhookHandler } from "./types.js";

const Installation = z.looseObject({ action: z.string(), installation: z.looseObject({ id: z.number() }) });

/** `installation.*`: nothing to store (no database); log it so operators see installs and removals. */
export const installationHandler = webhookHandler("installation", Installation, async (services, { payload }) => {
  services.log.info(
    {
      installation: payload.installation.id,
      account:
        payload.installation.account && "login" in payload.installation.account
          ? payload.installation.account.login
          : undefined,
      action: payload.action,
      repositories: "repositories" in payload ? payload.repositories?.map((r) => r.full_name) : undefined,
    },
    `installation ${payload.action}`,
  );
});
