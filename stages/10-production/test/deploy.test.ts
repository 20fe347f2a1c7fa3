import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, loadServerConfig } from '../src/config.ts';
import { registeredRoutes } from './express-routes.ts';
import { buildApp } from './helpers.ts';

// No cluster and no Docker daemon here: the manifests are checked against the code instead.
// A renamed route, a changed port or a longer shutdown timeout fails this file, not a rollout.
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const DEFAULTS = loadConfig({});
const GET_ROUTES = registeredRoutes(buildApp().app).filter((route) => route.startsWith('GET '));

interface Container {
  image: string;
  ports: { name: string; containerPort: number }[];
  env: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
  }[];
  livenessProbe: { httpGet: { path: string; port: string }; timeoutSeconds: number };
  readinessProbe: { httpGet: { path: string; port: string }; timeoutSeconds: number };
  lifecycle: { preStop: { sleep: { seconds: number } } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

function k8s(file: string) {
  return parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => doc.toJS());
}
const [deployment] = k8s('deployment.yaml');
const [service] = k8s('service.yaml');
const [secret] = k8s('secret.yaml');
const pod = deployment.spec.template.spec;
const container: Container = pod.containers[0];
const envOf = (name: string) => container.env.find((e) => e.name === name)?.value;

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

  it('When resources and the secret are read, then requests and limits are set and JWT_SECRET comes from the Secret', () => {
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
    const jwt = container.env.find((e) => e.name === 'JWT_SECRET');
    expect(jwt?.value).toBeUndefined();
    expect(jwt?.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'JWT_SECRET' });
    expect(secret.kind).toBe('Secret');
    expect(Object.keys(secret.stringData).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET']);
  });

  it('When the pod’s environment is filled from the Secret, then it passes production’s checks', () => {
    const env = Object.fromEntries(
      container.env.map((e) => [e.name, e.value ?? secret.stringData[e.name]]),
    );
    const { config } = loadServerConfig({ ...env, NODE_ENV: 'production' });

    expect(new URL(config.redis.url).hostname).toBe('redis');
    expect(config.trustProxyHops).toBe(1);
  });

  it('When the migration Job is read, then it runs the compiled migrations with the same image and database', () => {
    const [job] = k8s('migrate-job.yaml');
    const migrator = job.spec.template.spec.containers[0];

    expect(job.kind).toBe('Job');
    expect(migrator.image).toBe(container.image);
    expect(migrator.command).toEqual(['node', 'dist/db/migrate.js']);
    expect(migrator.env).toEqual(container.env.filter((e) => e.name === 'DATABASE_URL'));
  });

  it('When the Service is read, then it selects the Deployment’s pods on their named port', () => {
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0]?.name);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'));
  const api = compose.services.api;

  it('When it is read, then 3 API replicas behind nginx, whose config exists and points at the app’s port', () => {
    expect(api.deploy.replicas).toBe(3);
    const volume: string = compose.services.lb.volumes[0];
    const conf = volume.split(':')[0] ?? '';
    expect(existsSync(new URL(`../${conf}`, import.meta.url))).toBe(true);
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
