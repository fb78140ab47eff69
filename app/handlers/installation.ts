import type { WebhookHandler } from "./types.js";

interface InstallationPayload {
  action: string;
  installation: { id: number; account?: { login?: string } | null };
  repositories?: Array<{ full_name: string }>;
}

/** `installation.*`: nothing to store (no database); log it so operators see installs and removals. */
export const installationHandler: WebhookHandler = {
  event: "installation",
  async handle(services, { payload }: { payload: InstallationPayload }) {
    services.log.info(
      {
        installation: payload.installation.id,
        account: payload.installation.account?.login,
        action: payload.action,
        repositories: payload.repositories?.map((r) => r.full_name),
      },
      `installation ${payload.action}`,
    );
  },
};
