import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";

type Obj = Record<string, any>;

interface WatchEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: Obj;
}

/**
 * A Kubernetes API server on loopback, as the agent sees one: paginated lists with a resourceVersion, chunked watch
 * streams from a version (history replayed, then live events), label selectors by key, 410 Gone for an expired
 * version, pod logs. Tests drive it: put/remove objects, expire watches, drop connections.
 */
export class FakeKube {
  private server: Server | undefined;
  private rv = 100;
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly history = new Map<string, WatchEvent[]>();
  private readonly watchers = new Set<{ path: string; selector?: string; res: ServerResponse }>();
  private readonly expireNext = new Set<string>();
  readonly logs = new Map<string, string>();
  readonly requests: string[] = [];
  url = "";

  /** Watch history kept per collection (older versions get 410 Gone, as etcd compaction does). */
  constructor(private readonly maxHistory = 10_000) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "fake", server: this.url, skipTLSVerify: true }],
      users: [{ name: "agent", token: "service-account-token" }],
      contexts: [{ name: "fake", cluster: "fake", user: "agent" }],
      currentContext: "fake",
    });
    return kc;
  }

  /** Create or replace an object (its collection path from apiVersion/kind); watchers see ADDED or MODIFIED. */
  put(object: Obj): void {
    const path = collectionPath(object);
    const key = `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
    const byKey = this.objects.get(path) ?? new Map<string, Obj>();
    this.objects.set(path, byKey);
    const type = byKey.has(key) ? "MODIFIED" : "ADDED";
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    byKey.set(key, stored);
    this.emit(path, { rv: this.rv, type, object: stored });
  }

  remove(object: Obj): void {
    const path = collectionPath(object);
    const key = `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
    const stored = this.objects.get(path)?.get(key);
    if (!stored) return;
    this.objects.get(path)?.delete(key);
    const gone = structuredClone(stored);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit(path, { rv: this.rv, type: "DELETED", object: gone });
  }

  /** The next watch of `path` (or the open ones) gets a 410 Gone ERROR event; and the history is compacted. */
  expire(path: string): void {
    this.history.set(path, []);
    let open = false;
    for (const w of this.watchers) {
      if (w.path !== path) continue;
      open = true;
      w.res.write(`${JSON.stringify(gone())}\n`);
      w.res.end();
    }
    if (!open) this.expireNext.add(path);
  }

  /** Cut every open watch stream without ending it properly, like a crashed API server or a broken proxy. */
  dropConnections(): void {
    for (const w of this.watchers) w.res.socket?.destroy();
    this.watchers.clear();
  }

  /** Change objects while nobody is watching (nothing is emitted): what a re-list must catch up with. */
  putSilently(object: Obj): void {
    const path = collectionPath(object);
    const key = `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    this.objects.get(path)?.set(key, stored);
  }

  watchCount(path: string): number {
    return [...this.watchers].filter((w) => w.path === path).length;
  }

  private emit(path: string, event: WatchEvent): void {
    const events = this.history.get(path) ?? [];
    events.push(event);
    if (events.length > this.maxHistory) events.splice(0, events.length - this.maxHistory);
    this.history.set(path, events);
    for (const w of this.watchers) {
      if (w.path === path && matches(event.object, w.selector)) w.res.write(`${JSON.stringify(event)}\n`);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== "Bearer service-account-token") {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", code: 401 }));
      return;
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(url.pathname);
    if (log) {
      const text = this.logs.get(`${log[1]}/${log[2]}/${url.searchParams.get("container")}`) ?? "";
      const tail = Number(url.searchParams.get("tailLines") ?? "0");
      res.writeHead(200, { "content-type": "text/plain" }).end(tail ? text.split("\n").slice(-tail).join("\n") : text);
      return;
    }
    const selector = url.searchParams.get("labelSelector") ?? undefined;
    if (url.searchParams.get("watch") === "true") {
      this.watch(url.pathname, Number(url.searchParams.get("resourceVersion")), selector, res);
      return;
    }
    const items = [...(this.objects.get(url.pathname)?.values() ?? [])].filter((o) => matches(o, selector));
    const limit = Number(url.searchParams.get("limit") ?? "0") || items.length;
    const start = Number(url.searchParams.get("continue") ?? "0");
    const page = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : undefined;
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        kind: "List",
        apiVersion: "v1",
        metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) },
        items: page,
      }),
    );
  }

  private watch(path: string, from: number, selector: string | undefined, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    const events = this.history.get(path) ?? [];
    const oldest = events[0]?.rv;
    if (this.expireNext.delete(path) || (oldest !== undefined && from < oldest - 1 && from !== 0)) {
      res.end(`${JSON.stringify(gone())}\n`);
      return;
    }
    for (const event of events) {
      if (event.rv > from && matches(event.object, selector)) res.write(`${JSON.stringify(event)}\n`);
    }
    const watcher = { path, selector, res };
    this.watchers.add(watcher);
    res.on("close", () => this.watchers.delete(watcher));
  }
}

function gone(): Obj {
  return {
    type: "ERROR",
    object: {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      message: "too old resource version: 101 (150)",
      reason: "Expired",
      code: 410,
    },
  };
}

function matches(object: Obj, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = object.metadata?.labels ?? {};
  return selector.split(",").every((key) => key in labels);
}

export function collectionPath(object: Obj): string {
  const kind = String(object.kind).toLowerCase();
  const plural = `${kind}s`;
  const apiVersion = String(object.apiVersion);
  return apiVersion.includes("/") ? `/apis/${apiVersion}/${plural}` : `/api/${apiVersion}/${plural}`;
}
