import { joinName, objectMeta, type RenderContext, robustName } from "../names.js";
import type { K8sObject } from "../types.js";
import type { OnechartValues, VolumeValues } from "./values.js";

// onechart's `volumes[]`: each entry is mounted at `path` and backed by exactly one source. Without a source
// it is a PersistentVolumeClaim the chart creates (`<app>-<volume>`, 1Gi, ReadWriteOnce by default).

const DEFAULT_SIZE = "1Gi";
const DEFAULT_ACCESS_MODE = "ReadWriteOnce";

type VolumeSource = "claim" | "existingClaim" | "emptyDir" | "hostPath" | "existingConfigMap" | "file";

export function volumeSource(volume: VolumeValues): VolumeSource {
  if (volume.emptyDir !== undefined && volume.emptyDir !== false) return "emptyDir";
  if (volume.existingConfigMap !== undefined) return "existingConfigMap";
  if (volume.fileName !== undefined) return "file";
  if (volume.hostPath !== undefined) return "hostPath";
  if (volume.existingClaim !== undefined) return "existingClaim";
  return "claim";
}

export function claimName(ctx: RenderContext, volume: VolumeValues): string {
  return joinName(ctx.name, volume.name);
}

/** The ConfigMap holding a `fileName`/`fileContent` volume. Prefixed with the app (onechart isn't) so two apps in one namespace can't collide. */
export function fileConfigMapName(ctx: RenderContext, fileName: string): string {
  return joinName(ctx.name, robustName(fileName).replace(/^-+/, ""));
}

/** True when a volume is a PersistentVolumeClaim, which a rolling update can't attach to two pods at once. */
export function hasClaimVolumes(values: OnechartValues): boolean {
  return (values.volumes ?? []).some((volume) => ["claim", "existingClaim"].includes(volumeSource(volume)));
}

export function podVolumes(values: OnechartValues, ctx: RenderContext): Record<string, unknown>[] {
  return (values.volumes ?? []).map((volume) => {
    switch (volumeSource(volume)) {
      case "emptyDir":
        return { name: volume.name, emptyDir: typeof volume.emptyDir === "object" ? volume.emptyDir : {} };
      case "existingConfigMap":
        return { name: volume.name, configMap: { name: volume.existingConfigMap } };
      case "file":
        return { name: volume.name, configMap: { name: fileConfigMapName(ctx, volume.fileName as string) } };
      case "hostPath":
        return { name: volume.name, hostPath: { ...volume.hostPath } };
      case "existingClaim":
        return { name: volume.name, persistentVolumeClaim: { claimName: volume.existingClaim } };
      default:
        return { name: volume.name, persistentVolumeClaim: { claimName: claimName(ctx, volume) } };
    }
  });
}

export function volumeMounts(values: OnechartValues): Record<string, unknown>[] {
  return (values.volumes ?? []).map((volume) => ({
    name: volume.name,
    mountPath: volume.path,
    subPath: volume.subPath,
  }));
}

export function persistentVolumeClaims(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  return (values.volumes ?? [])
    .filter((volume) => volumeSource(volume) === "claim")
    .map((volume) => ({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: objectMeta(ctx, claimName(ctx, volume), volume.pvcAnnotations),
      spec: {
        accessModes: volume.accessModes ?? [volume.accessMode ?? DEFAULT_ACCESS_MODE],
        storageClassName: volume.storageClass,
        resources: { requests: { storage: volume.size ?? DEFAULT_SIZE } },
      },
    }));
}

export function fileConfigMaps(values: OnechartValues, ctx: RenderContext): K8sObject[] {
  return (values.volumes ?? [])
    .filter((volume) => volumeSource(volume) === "file")
    .map((volume) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: objectMeta(ctx, fileConfigMapName(ctx, volume.fileName as string)),
      data: { [volume.fileName as string]: volume.fileContent ?? "" },
    }));
}
