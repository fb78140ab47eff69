import { type KubeConfig, Watch } from "@kubernetes/client-node";
import fetch from "node-fetch";
import type { RawObject } from "./objects.js";

/** An error the Kubernetes API answered with; 410 means the resource version expired and the agent must re-list. */
export class KubeError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
    this.name = "KubeError";
  }
}

export interface WatchHandle {
  stop(): void;
  /** Resolves when the stream ends: undefined when the server closed it, else the error. */
  ended: Promise<Error | undefined>;
}

/** The part of the Kubernetes API the agent uses, all read-only. */
export interface KubeApi {
  /** Every object at `path` (following `continue`), and the list's resourceVersion to watch from. */
  list(path: string, labelSelector?: string): Promise<{ items: RawObject[]; resourceVersion: string }>;
  watch(
    path: string,
    query: { resourceVersion: string; labelSelector?: string; timeoutSeconds: number },
    onEvent: (type: string, object: RawObject) => void,
  ): Promise<WatchHandle>;
  /** The last lines of a container's log (its previous run when it restarted). */
  podLog(namespace: string, pod: string, container: string, previous: boolean, tailLines: number): Promise<string>;
}

const PAGE = 500;

/** The KubeApi over @kubernetes/client-node: its Watch for streams, its auth (token, client certs, CA) for lists and logs. */
export function kubeApi(config: KubeConfig): KubeApi {
  const server = () => {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new KubeError("no current cluster in the kubeconfig", undefined);
    return cluster.server.replace(/\/+$/, "");
  };
  const get = async (url: URL, accept: string): Promise<string> => {
    const init = await config.applyToFetchOptions({ method: "GET", headers: { accept } });
    const response = await fetch(url.toString(), init);
    const body = await response.text();
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        const status = JSON.parse(body) as { message?: string };
        if (status.message) message = `${message}: ${status.message}`;
      } catch {
        // not a Status object: the status line says enough
      }
      throw new KubeError(`GET ${url.pathname}: ${message}`, response.status);
    }
    return body;
  };
  return {
    async list(path, labelSelector) {
      const items: RawObject[] = [];
      let resourceVersion = "";
      let next: string | undefined;
      do {
        const url = new URL(server() + path);
        url.searchParams.set("limit", String(PAGE));
        if (labelSelector) url.searchParams.set("labelSelector", labelSelector);
        if (next) url.searchParams.set("continue", next);
        const page = JSON.parse(await get(url, "application/json")) as {
          items?: RawObject[];
          metadata?: { resourceVersion?: string; continue?: string };
        };
        items.push(...(page.items ?? []));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        next = page.metadata?.continue || undefined;
      } while (next);
      return { items, resourceVersion };
    },
    async watch(path, query, onEvent) {
      let resolveEnded: (error: Error | undefined) => void = () => undefined;
      const ended = new Promise<Error | undefined>((resolve) => {
        resolveEnded = resolve;
      });
      const controller = await new Watch(config).watch(
        path,
        {
          resourceVersion: query.resourceVersion,
          labelSelector: query.labelSelector,
          allowWatchBookmarks: true,
          timeoutSeconds: query.timeoutSeconds,
        },
        (type: string, object: unknown) => onEvent(type, (object ?? {}) as RawObject),
        (error: unknown) => {
          if (!error) return resolveEnded(undefined);
          const code = (error as { statusCode?: number }).statusCode;
          resolveEnded(new KubeError(error instanceof Error ? error.message : String(error), code));
        },
      );
      return { stop: () => controller.abort(), ended };
    },
    async podLog(namespace, pod, container, previous, tailLines) {
      const url = new URL(
        `${server()}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      );
      url.searchParams.set("container", container);
      url.searchParams.set("tailLines", String(tailLines));
      url.searchParams.set("limitBytes", "16384");
      if (previous) url.searchParams.set("previous", "true");
      return get(url, "text/plain");
    },
  };
}
