import type { Deployment, DeploymentStatus, RepositoryName } from "../../shared/ports.js";
import type { SweepSource } from "../releases/overdue.js";
import type { LocalForge } from "./forge.js";

/** The overdue sweep over local mode's files: repositories and deployments from the store, claims as exclusive files. */
export class LocalSweepSource implements SweepSource {
  constructor(private readonly forge: LocalForge) {}

  async repositories(): Promise<RepositoryName[]> {
    const repos: RepositoryName[] = [];
    for (const owner of await this.forge.store.list("github"))
      for (const repo of await this.forge.store.list(`github/${owner}`)) repos.push(`${owner}/${repo}`);
    return repos.sort();
  }

  async recentDeployments(repository: RepositoryName, since: Date): Promise<Deployment[]> {
    const names = (await this.forge.store.list(`github/${repository}/deployments`)).filter((n) =>
      /^\d+\.json$/.test(n),
    );
    const found: Deployment[] = [];
    for (const name of names) {
      const deployment = await this.forge.getDeployment(repository, Number(name.slice(0, -5)));
      if (deployment && Date.parse(deployment.createdAt) >= since.getTime()) found.push(deployment);
    }
    return found.sort((a, b) => b.id - a.id);
  }

  statuses(repository: RepositoryName, deploymentId: number): Promise<DeploymentStatus[]> {
    return this.forge.listDeploymentStatuses(repository, deploymentId);
  }

  claim(deployment: Deployment): Promise<boolean> {
    return this.forge.store.createOnce(this.claimFile(deployment));
  }

  unclaim(deployment: Deployment): Promise<void> {
    return this.forge.store.remove(this.claimFile(deployment));
  }

  private claimFile(deployment: Deployment): string {
    return `sweep-claims/${deployment.repository}/${deployment.id}`;
  }
}
