/** A Kubernetes object as plain data. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One file of a rendered app folder, its path relative to `<env path>/<app>/` (e.g. `deployment.yaml`). */
export interface RenderedFile {
  path: string;
  content: string;
}
