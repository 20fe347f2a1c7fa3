import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { registeredRoutes } from '@backend-path/shared/testing/express-routes';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema } from '../../src/config.schema.ts';
import {
  ConfigError,
  DEFAULT_INTERNAL_PORT,
  loadConfig,
  loadServerConfig,
} from '../../src/config.ts';
import { buildApp } from '../support/helpers.ts';

// The manifests read against the code: a renamed route, a changed port or a longer shutdown
// timeout fails this file, not a rollout. What Kubernetes itself would say is
// deploy.k8s-schema.test.ts's; what the pod does with this environment, deploy.k8s-run.test.ts's
// (and `pnpm test:image`'s, with the image, its user and this securityContext).
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const DEFAULTS = loadConfig({});
const GET_ROUTES = registeredRoutes(buildApp().app).filter((route) => route.startsWith('GET '));
const K8S_FILES = readdirSync(new URL('../../deploy/k8s/', import.meta.url)).sort();

interface Probe {
  httpGet: { path: string; port: string };
  timeoutSeconds: number;
  periodSeconds: number;
  failureThreshold: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports: { name: string; containerPort: number }[];
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
  }[];
  securityContext: Record<string, unknown>;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { sleep: { seconds: number } } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

function k8s(file: string) {
  return parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => doc.toJS());
}
const [deployment] = k8s('deployment.yaml');
const [service] = k8s('service.yaml');
const [job] = k8s('migrate-job.yaml');
const pod = deployment.spec.template.spec;
const container: Container = pod.containers[0];
const migrator: Container = job.spec.template.spec.containers[0];
const envOf = (name: string) => container.env.find((e) => e.name === name)?.value;
/** The Secret's values, as the README's `kubectl create secret generic` makes them. */
const OPERATOR_SECRET: Record<string, string> = {
  JWT_SECRET: randomBytes(32).toString('base64url'),
  DATABASE_URL: 'postgres://api:s3cr3t-from-the-vault@postgres:5432/backend_path',
};
const podEnv = (secret: Record<string, string>) =>
  Object.fromEntries(
    container.env.map((e) => [e.name, e.value ?? secret[e.valueFrom?.secretKeyRef.key ?? '']]),
  );

describe('deploy/k8s', () => {
  it('When the Deployment is read, then 3 replicas whose probes hit real routes on the real port', () => {
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(GET_ROUTES).toContain(`GET ${container.livenessProbe.httpGet.path}`);
    expect(GET_ROUTES).toContain(`GET ${container.readinessProbe.httpGet.path}`);
    expect(container.livenessProbe.httpGet.path).toBe('/api/v1/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/api/v1/health/ready');
    const http = container.ports.find((p) => p.name === container.readinessProbe.httpGet.port);
    expect(http?.containerPort).toBe(Number(envOf('PORT')));
    expect(loadConfig({ PORT: envOf('PORT') }).port).toBe(http?.containerPort);
  });

  it('When a pod is stopped, then the grace period outlasts preStop plus the app’s shutdown timeout', () => {
    const config = loadConfig({
      SHUTDOWN_TIMEOUT_MS: envOf('SHUTDOWN_TIMEOUT_MS'),
      SHUTDOWN_DRAIN_DELAY_MS: envOf('SHUTDOWN_DRAIN_DELAY_MS'),
    });
    const preStopMs = container.lifecycle.preStop.sleep.seconds * 1000;

    expect(config.shutdownTimeoutMs).toBe(DEFAULTS.shutdownTimeoutMs);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      preStopMs + config.shutdownDrainDelayMs + config.shutdownTimeoutMs,
    );
    // The readiness answer is bounded by READINESS_TIMEOUT_MS; the probe waits longer than that.
    expect(container.readinessProbe.timeoutSeconds * 1000).toBeGreaterThan(
      DEFAULTS.readinessTimeoutMs,
    );
  });

  it('When readiness fails once (a slow answer, a blip), then the pod stays in: only failures in a row take it out', () => {
    // One failure alone took every busy pod out at once; deploy.k8s-run.test.ts shows a busy
    // pool no longer fails the probe at all.
    expect(container.readinessProbe.failureThreshold).toBeGreaterThanOrEqual(3);
    expect(container.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(3);
  });

  it('When the pod’s variables are read, then each is one the stage’s config reads (a typo would be ignored silently)', () => {
    const known = Object.keys(envSchema.shape);

    for (const e of [...container.env, ...migrator.env]) expect(known).toContain(e.name);
  });

  it('When the secrets are looked for, then the repository holds none: the pods read a Secret the operator creates', () => {
    const manifests = K8S_FILES.flatMap(k8s);

    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const name of ['JWT_SECRET', 'DATABASE_URL']) {
      const entry = container.env.find((e) => e.name === name);
      expect(entry?.value).toBeUndefined();
      expect(entry?.valueFrom?.secretKeyRef).toEqual({ name: 'backend-path-api', key: name });
    }
    // The README says how: one command, both keys, the secret generated on the spot.
    const readme = read('README.md');
    expect(readme).toMatch(
      /kubectl create secret generic backend-path-api \\\n\s+--from-literal=JWT_SECRET="\$\(node -e "console\.log\(require\('node:crypto'\)\.randomBytes\(32\)/,
    );
    expect(readme).toContain('--from-literal=DATABASE_URL=');
  });

  it('When the pod’s environment is filled as the README’s command fills the Secret, then it passes production’s checks; the placeholder this folder once shipped does not', () => {
    const { config } = loadServerConfig({ ...podEnv(OPERATOR_SECRET), NODE_ENV: 'production' });
    const placeholder = {
      ...OPERATOR_SECRET,
      JWT_SECRET: 'replace-me-with-32-or-more-random-characters',
    };

    expect(new URL(config.redis.url).hostname).toBe('redis');
    expect(() => loadServerConfig({ ...podEnv(placeholder), NODE_ENV: 'production' })).toThrow(
      ConfigError,
    );
  });

  it('When the containers’ privileges are read, then non-root (the image’s own uid), read-only root filesystem, no escalation, no capability', () => {
    const runtime = DockerfileParser.parse(read('Dockerfile'))
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'USER')
      .at(-1)
      ?.getArgumentsContent();

    for (const spec of [pod, job.spec.template.spec]) {
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(`${spec.securityContext.runAsUser}:${spec.securityContext.runAsGroup}`).toBe(runtime);
      expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    }
    for (const c of [container, migrator]) {
      expect(c.securityContext).toEqual({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('When resources are read, then every container requests CPU and memory and is limited in memory, never in CPU', () => {
    for (const c of [container, migrator]) {
      expect(c.resources.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(c.resources.limits).toEqual({ memory: expect.any(String) });
    }
  });

  it('When TRUST_PROXY_HOPS is read, then it counts the HTTP proxies shipped in front: none (a Service forwards TCP)', () => {
    const kinds = K8S_FILES.flatMap(k8s).map((m) => m.kind);

    expect(kinds).not.toContain('Ingress');
    expect(service.spec.type).toBe('ClusterIP');
    expect(loadConfig({ TRUST_PROXY_HOPS: envOf('TRUST_PROXY_HOPS') }).trustProxyHops).toBe(0);
  });

  it('When the migration Job is read, then it runs the compiled migrations with the same image and database, bounded in retries, time and lifetime', () => {
    expect(job.kind).toBe('Job');
    expect(migrator.image).toBe(container.image);
    expect(migrator.command).toEqual(['node', 'dist/db/migrate.js']);
    expect(migrator.env).toEqual(container.env.filter((e) => e.name === 'DATABASE_URL'));
    expect(job.spec.backoffLimit).toBeGreaterThanOrEqual(1);
    expect(job.spec.backoffLimit).toBeLessThanOrEqual(3);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('When the Service is read, then it selects the Deployment’s pods on their named port', () => {
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0]?.name);
  });

  it('When the metrics port is read, then it is production’s internal port, scraped per pod and never routed by the Service', () => {
    const metrics = container.ports.find((p) => p.name === 'metrics');

    expect(metrics?.containerPort).toBe(DEFAULT_INTERNAL_PORT);
    expect(deployment.spec.template.metadata.annotations?.['prometheus.io/port']).toBe(
      String(DEFAULT_INTERNAL_PORT),
    );
    expect(service.spec.ports.map((p: { targetPort: unknown }) => p.targetPort)).not.toContain(
      'metrics',
    );
    expect(service.spec.ports.map((p: { port: unknown }) => p.port)).not.toContain(
      DEFAULT_INTERNAL_PORT,
    );
  });

  it('When the workflow example deploys, then it names these manifests’ Job, Deployment and container, and waits no longer than the Job may run', () => {
    const workflow = parse(read('.github-workflow.example.yml'));
    const script: string = workflow.jobs.deploy.steps
      .map((s: { run?: string }) => s.run ?? '')
      .join('\n');
    const wait = /kubectl wait --for=condition=complete job\/(\S+) --timeout=(\d+)m/.exec(script);

    expect(wait?.[1]).toBe(job.metadata.name);
    expect(Number(wait?.[2]) * 60).toBeGreaterThanOrEqual(job.spec.activeDeadlineSeconds);
    expect(script).toContain('deploy/k8s/migrate-job.yaml');
    expect(script).toContain(
      `kubectl set image deployment/${deployment.metadata.name} ${container.name}="$IMAGE"`,
    );
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'));
  const api = compose.services.api;

  it('When it is read, then 3 API replicas behind nginx, whose config exists and points at the app’s port', () => {
    expect(api.deploy.replicas).toBe(3);
    const volume: string = compose.services.lb.volumes[0];
    const conf = volume.split(':')[0] ?? '';
    expect(existsSync(new URL(`../../${conf}`, import.meta.url))).toBe(true);
    expect(read(conf)).toContain(`server api:${DEFAULTS.port}`);
  });

  it('When a replica is stopped, then Docker waits longer than its drain and shutdown timeout', () => {
    const config = loadConfig({
      SHUTDOWN_DRAIN_DELAY_MS: api.environment.SHUTDOWN_DRAIN_DELAY_MS,
      SHUTDOWN_TIMEOUT_MS: api.environment.SHUTDOWN_TIMEOUT_MS,
    });
    const grace = Number(String(api.stop_grace_period).replace(/s$/, '')) * 1000;

    expect(grace).toBeGreaterThan(config.shutdownDrainDelayMs + config.shutdownTimeoutMs);
  });

  it('When its health check runs, then it asks a real readiness route', () => {
    const check: string = api.healthcheck.test.join(' ');
    const path = /http:\/\/127\.0\.0\.1:(\d+)(\/[\w/]+)/.exec(check);

    expect(Number(path?.[1])).toBe(DEFAULTS.port);
    expect(GET_ROUTES).toContain(`GET ${path?.[2]}`);
  });
});
