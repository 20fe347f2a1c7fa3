import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// deploy/k8s/deployment.yaml's pod, for the tests that run what it describes: src/server.ts with
// its environment (deploy.k8s-run.test.ts) and the image with its environment, user and
// securityContext (scripts/image/image.test.ts).

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
export interface HttpProbe {
  httpGet: { path: string; port: string };
}
export interface PodContainer {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  securityContext: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  livenessProbe: HttpProbe;
  readinessProbe: HttpProbe;
  startupProbe: HttpProbe;
}
export interface PodSpec {
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number };
  containers: PodContainer[];
}

export function deploymentPod(): PodSpec {
  const text = readFileSync(new URL('../../deploy/k8s/deployment.yaml', import.meta.url), 'utf8');
  return (parse(text) as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

/**
 * The container's environment as the kubelet hands it over: Secret references filled from
 * `secret` (what the operator's `kubectl create secret` holds), and the cluster's service names
 * (`redis://redis:6379`) swapped for this machine's through `cluster`.
 */
export function podEnv(
  container: PodContainer,
  secret: Record<string, string>,
  cluster: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(
    container.env.map((e) => {
      const fromSecret = e.valueFrom?.secretKeyRef.key;
      const value = fromSecret === undefined ? e.value : secret[fromSecret];
      if (value === undefined) throw new Error(`${e.name}: no value (Secret key ${fromSecret})`);
      return [e.name, cluster[e.name] ?? value];
    }),
  );
}

/** The probes' paths, by probe, as the kubelet asks them. */
export function probePaths(container: PodContainer): Record<string, string> {
  return {
    startupProbe: container.startupProbe.httpGet.path,
    livenessProbe: container.livenessProbe.httpGet.path,
    readinessProbe: container.readinessProbe.httpGet.path,
  };
}
