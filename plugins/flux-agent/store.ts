import type { AppView } from "./decide.js";
import type { DeploymentSnap, KustomizationSnap, PodSnap, ReplicaSetSnap, Snap } from "./objects.js";

export type SnapKind = Snap["kind"];

/** `env/app`: one rollout the agent reports on. */
export function appKey(snap: { env: string; app: string }): string {
  return `${snap.env}/${snap.app}`;
}

/**
 * The agent's picture of the cluster: compact snapshots by kind and key, plus an index from app to its objects, so
 * evaluating one app never scans the whole cluster. Returns the apps each change touches.
 */
export class ClusterStore {
  private readonly deployments = new Map<string, DeploymentSnap>();
  private readonly replicaSets = new Map<string, ReplicaSetSnap>();
  private readonly pods = new Map<string, PodSnap>();
  private readonly kustomizations = new Map<string, KustomizationSnap>();
  /** app key → object keys per kind. */
  private readonly byApp = new Map<string, { deployments: Set<string>; replicaSets: Set<string>; pods: Set<string> }>();

  private mapOf(kind: SnapKind): Map<string, Snap> {
    if (kind === "Deployment") return this.deployments as Map<string, Snap>;
    if (kind === "ReplicaSet") return this.replicaSets as Map<string, Snap>;
    if (kind === "Pod") return this.pods as Map<string, Snap>;
    return this.kustomizations as Map<string, Snap>;
  }

  private index(snap: DeploymentSnap | ReplicaSetSnap | PodSnap, add: boolean): string {
    const key = appKey(snap);
    let entry = this.byApp.get(key);
    if (!entry) {
      if (!add) return key;
      entry = { deployments: new Set(), replicaSets: new Set(), pods: new Set() };
      this.byApp.set(key, entry);
    }
    const set =
      snap.kind === "Deployment" ? entry.deployments : snap.kind === "ReplicaSet" ? entry.replicaSets : entry.pods;
    if (add) set.add(snap.key);
    else set.delete(snap.key);
    if (!add && entry.deployments.size + entry.replicaSets.size + entry.pods.size === 0) this.byApp.delete(key);
    return key;
  }

  /** Apps whose rollout reads a Kustomization: those whose Deployments name it, or every app when one has no name. */
  private appsOfKustomization(key: string): string[] {
    const apps = new Set<string>();
    for (const d of this.deployments.values()) if (!d.kustomization || d.kustomization === key) apps.add(appKey(d));
    return [...apps];
  }

  /** Add, replace or (with `deleted`) remove one object; the apps to evaluate again. */
  apply(snap: Snap, deleted = false): string[] {
    const map = this.mapOf(snap.kind);
    const previous = map.get(snap.key);
    if (snap.kind === "Kustomization") {
      if (deleted) map.delete(snap.key);
      else map.set(snap.key, snap);
      return this.appsOfKustomization(snap.key);
    }
    const touched = new Set<string>();
    if (previous && previous.kind !== "Kustomization") touched.add(this.index(previous, false));
    if (deleted) map.delete(snap.key);
    else {
      map.set(snap.key, snap);
      touched.add(this.index(snap, true));
    }
    return [...touched];
  }

  /** Remove an object known only by key (a DELETE the agent could not compact). */
  remove(kind: SnapKind, key: string): string[] {
    const previous = this.mapOf(kind).get(key);
    return previous ? this.apply(previous, true) : [];
  }

  /** A fresh list replaces everything known of a kind; returns every app touched before or after. */
  replaceAll(kind: SnapKind, snaps: Snap[]): string[] {
    const touched = new Set<string>();
    for (const key of [...this.mapOf(kind).keys()]) for (const app of this.remove(kind, key)) touched.add(app);
    for (const snap of snaps) for (const app of this.apply(snap)) touched.add(app);
    return [...touched];
  }

  apps(): string[] {
    return [...this.byApp.keys()];
  }

  size(): number {
    return this.deployments.size + this.replicaSets.size + this.pods.size + this.kustomizations.size;
  }

  /** The view of one app the decision reads. */
  view(key: string): AppView | undefined {
    const entry = this.byApp.get(key);
    const slash = key.indexOf("/");
    if (!entry) return undefined;
    const deployments = [...entry.deployments].flatMap((k) => this.deployments.get(k) ?? []);
    const replicaSets = [...entry.replicaSets].flatMap((k) => this.replicaSets.get(k) ?? []);
    const pods = [...entry.pods].flatMap((k) => this.pods.get(k) ?? []);
    return {
      env: key.slice(0, slash),
      app: key.slice(slash + 1),
      deployments,
      replicaSets,
      pods,
      kustomization: this.kustomizationOf(deployments),
    };
  }

  /** The Kustomization Flux labels the Deployment with; without the label, the only one that applies anything. */
  private kustomizationOf(deployments: DeploymentSnap[]): KustomizationSnap | undefined {
    const named = deployments.find((d) => d.kustomization)?.kustomization;
    if (named) return this.kustomizations.get(named);
    if (this.kustomizations.size === 1) return this.kustomizations.values().next().value;
    return undefined;
  }
}
