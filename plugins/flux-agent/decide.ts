import type { ContainerSnap, DeploymentSnap, KustomizationSnap, PodSnap, ReplicaSetSnap } from "./objects.js";

/** Everything the agent knows about one app in one env: its Deployments, their ReplicaSets and Pods, its Kustomization. */
export interface AppView {
  env: string;
  app: string;
  deployments: DeploymentSnap[];
  replicaSets: ReplicaSetSnap[];
  pods: PodSnap[];
  kustomization?: KustomizationSnap;
}

/** Whose log explains a failure: the container that failed, its previous run when it restarted. */
export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

export type RolloutDecision =
  | { kind: "unknown"; why: string }
  | { kind: "progressing"; gitopsRevision: string; ready: number; desired: number; image?: string }
  | { kind: "healthy"; gitopsRevision: string; ready: number; desired: number; image?: string }
  | {
      kind: "failed";
      gitopsRevision: string;
      ready: number;
      desired: number;
      image?: string;
      reason: string;
      message: string;
      logs?: LogTarget;
    };

/** Pull failures: the image is wrong or unreachable, no restart will fix it. */
const START_FAILURES = new Set([
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

/** `docker.io/library/nginx:1.27` and `nginx:1.27` are the same image; a container status may give either. */
export function normalizeImage(image: string): string {
  let out = image.replace(/^docker\.io\//, "").replace(/^index\.docker\.io\//, "");
  if (!out.includes("/")) out = `library/${out}`;
  if (!out.includes("@") && !/:[^/]+$/.test(out)) out = `${out}:latest`;
  return out;
}

/** The pod runs the released image: the names match, or the release names a digest and the pod runs that digest. */
export function runsImage(status: ContainerSnap, wanted: string): boolean {
  if (status.image && normalizeImage(status.image) === normalizeImage(wanted)) return true;
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(wanted)?.[1];
  return Boolean(digest && status.imageID?.endsWith(digest));
}

/** The ReplicaSet the Deployment rolls out now (same revision annotation), or undefined while it is not known yet. */
function currentReplicaSet(deployment: DeploymentSnap, replicaSets: ReplicaSetSnap[]): ReplicaSetSnap | undefined {
  return replicaSets.find(
    (rs) =>
      rs.namespace === deployment.namespace && rs.owner === deployment.name && rs.revision === deployment.revision,
  );
}

function secondsSince(iso: string | undefined, now: Date): number {
  const at = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(at) ? 0 : (now.getTime() - at) / 1000;
}

function failureOf(
  deployment: DeploymentSnap,
  pods: PodSnap[],
  now: Date,
): { reason: string; message: string; logs?: LogTarget } | undefined {
  for (const pod of pods) {
    for (const c of pod.containers) {
      const where = `container ${c.name} of pod ${pod.name}`;
      const logs = (previous: boolean): LogTarget => ({
        namespace: pod.namespace,
        pod: pod.name,
        container: c.name,
        previous,
      });
      if (c.waitingReason && START_FAILURES.has(c.waitingReason)) {
        return {
          reason: c.waitingReason,
          message: `${where}: ${c.waitingMessage ?? c.waitingReason}`,
        };
      }
      if (c.lastTerminatedReason === "OOMKilled" || c.terminatedReason === "OOMKilled") {
        return {
          reason: "OOMKilled",
          message: `${where} was killed for using more memory than its limit (restarted ${c.restartCount} times)`,
          logs: logs(c.terminatedReason !== "OOMKilled"),
        };
      }
      if (c.waitingReason === "CrashLoopBackOff") {
        const exit = c.lastExitCode === undefined ? "" : `, last exit code ${c.lastExitCode}`;
        return {
          reason: "CrashLoopBackOff",
          message: `${where} is crash-looping: restarted ${c.restartCount} times${exit}`,
          logs: logs(true),
        };
      }
      if (
        !c.init &&
        c.runningSince &&
        !c.ready &&
        secondsSince(c.runningSince, now) > deployment.progressDeadlineSeconds
      ) {
        return {
          reason: "ReadinessProbeFailed",
          message: `${where} has been running for more than ${deployment.progressDeadlineSeconds}s without passing its readiness probe`,
          logs: logs(false),
        };
      }
    }
  }
  const progressing = deployment.progressing;
  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return {
      reason: "ProgressDeadlineExceeded",
      message: `deployment ${deployment.name}: ${progressing.message ?? "progress deadline exceeded"}`,
    };
  }
  return undefined;
}

/**
 * The rollout of one app at the gitops revision its Kustomization last applied: healthy when, for every Deployment,
 * the controller observed the current generation, updated = ready = desired with no old replicas left, and the ready
 * pods of the current ReplicaSet run the released image; failed on the first pull failure, OOM kill, crash loop,
 * readiness failing past the progress deadline, or ProgressDeadlineExceeded. Pure: the clock is a parameter.
 */
export function decideRollout(view: AppView, now: Date): RolloutDecision {
  const gitopsRevision = view.kustomization?.revision;
  if (!gitopsRevision) return { kind: "unknown", why: "no Flux Kustomization with an applied revision" };
  if (view.deployments.length === 0) return { kind: "unknown", why: "no Deployment" };
  let ready = 0;
  let desired = 0;
  let healthy = true;
  const image = view.deployments[0]?.images[0] || undefined;
  for (const deployment of view.deployments) {
    desired += deployment.desired;
    const rs = currentReplicaSet(deployment, view.replicaSets);
    // Pods of the ReplicaSet being rolled out; before the ReplicaSet is seen, every live pod of the Deployment's app.
    const pods = view.pods.filter(
      (p) =>
        !p.deleting &&
        p.namespace === deployment.namespace &&
        (rs ? p.templateHash === rs.templateHash : p.app === deployment.app && p.env === deployment.env),
    );
    const failure = failureOf(deployment, pods, now);
    if (failure) {
      const readyNow = view.deployments.reduce((n, d) => n + Math.min(d.ready, d.desired), 0);
      return { kind: "failed", gitopsRevision, ready: readyNow, desired: sumDesired(view), image, ...failure };
    }
    const releasedPodsReady = rs ? pods.filter((p) => runsRelease(p, deployment.images)).length : 0;
    const current =
      deployment.observedGeneration >= deployment.generation &&
      deployment.updated === deployment.desired &&
      deployment.ready === deployment.desired &&
      deployment.replicas === deployment.desired &&
      (deployment.desired === 0 ||
        (rs !== undefined && rs.images.join() === deployment.images.join() && releasedPodsReady >= deployment.desired));
    ready += Math.min(deployment.ready, deployment.desired);
    if (!current) healthy = false;
  }
  return { kind: healthy ? "healthy" : "progressing", gitopsRevision, ready, desired, image };
}

/** Every app container is ready and each image of the release runs in one of them. */
function runsRelease(pod: PodSnap, images: string[]): boolean {
  const main = pod.containers.filter((c) => !c.init);
  if (main.length === 0 || !main.every((c) => c.ready)) return false;
  return images.every((wanted) => main.some((c) => runsImage(c, wanted)));
}

function sumDesired(view: AppView): number {
  return view.deployments.reduce((n, d) => n + d.desired, 0);
}
