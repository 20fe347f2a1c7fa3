import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// deploy/k8s/*.yaml as Kubernetes would take them, offline: kubernetes-models carries the API's
// OpenAPI schema twice, as JSON Schema validators (types, required fields, formats) and as
// TypeScript types. The API server also refuses a field it does not know (kubectl's strict field
// validation), which the validators let through: tsc's excess-property check on the same
// objects, typed by the same package, catches that (`prot:` for `port:`, a probe misplaced).
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const K8S_DIR = join(STAGE_DIR, 'deploy/k8s');
const TSC = join(STAGE_DIR, 'node_modules/.bin/tsc');
const BASE_TSCONFIG = join(STAGE_DIR, '../../tsconfig.base.json');

/** The model of each kind this folder ships: its validator and where its type lives. */
const MODELS = {
  'apps/v1 Deployment': {
    model: Deployment,
    module: 'kubernetes-models/apps/v1/Deployment',
    type: 'IDeployment',
  },
  'batch/v1 Job': { model: Job, module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
  'v1 Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
} as const;
type Kind = keyof typeof MODELS;

interface Manifest {
  file: string;
  kind: Kind;
  object: Record<string, unknown>;
}

const MANIFESTS: Manifest[] = readdirSync(K8S_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).map((doc) => {
      const object = doc.toJS() as Record<string, unknown>;
      return { file, kind: `${object.apiVersion} ${object.kind}` as Kind, object };
    }),
  );

/** The JSON Schema validator's complaint, or '' when the object is valid. */
function schemaErrors({ kind, object }: Manifest): string {
  const Model = MODELS[kind]?.model;
  if (!Model) return `no model for ${kind}`;
  try {
    new Model(object as never).validate();
    return '';
  } catch (error: unknown) {
    return (error as Error).message;
  }
}

const deployment = () => {
  const found = MANIFESTS.find((m) => m.kind === 'apps/v1 Deployment');
  if (!found) throw new Error('deploy/k8s has no Deployment');
  return structuredClone(found);
};

/** The Deployment with its readiness probe's `timeoutSeconds:` misspelt `timeoutSecond:`. */
const MISSPELT_TEXT = JSON.stringify(deployment().object).replace(
  '"timeoutSeconds":2,"failureThreshold":3}',
  '"timeoutSecond":2,"failureThreshold":3}',
);
const MISSPELT: Manifest = { ...deployment(), object: JSON.parse(MISSPELT_TEXT) };

let dir = '';
/** What tsc said, one entry per diagnostic (its continuation lines included). */
let diagnostics: string[] = [];
beforeAll(async () => {
  // Inside the stage (kubernetes-models resolves from its node_modules), in a git-ignored
  // `generated/`, in a dot-folder: the stage's own tsc and biome do not read it.
  const generated = join(STAGE_DIR, 'test/support/fixtures/generated');
  await mkdir(generated, { recursive: true });
  dir = await mkdtemp(join(generated, '.k8s-'));
  // One tsc for both files: each is a module of its own, so an error in one says nothing about
  // the other, and kubernetes-models' types are read and checked once instead of twice.
  await writeFile(join(dir, 'manifests.ts'), typed(MANIFESTS));
  await writeFile(join(dir, 'misspelt.ts'), typed([MISSPELT]));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: BASE_TSCONFIG, files: ['manifests.ts', 'misspelt.ts'] }),
  );
  diagnostics = (await typeCheck()).split(/\n(?=\S)/).filter((text) => text.trim() !== '');
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The manifests written as typed object literals, a module tsc can check. */
function typed(manifests: Manifest[]): string {
  const imports = [...new Set(manifests.map((m) => m.kind))].map(
    (kind) => `import type { ${MODELS[kind].type} } from '${MODELS[kind].module}';`,
  );
  const objects = manifests.map(
    (m, i) =>
      `// ${m.file}\nexport const m${i}: ${MODELS[m.kind].type} = ${JSON.stringify(m.object, null, 2)};`,
  );
  return [...imports, ...objects, ''].join('\n');
}

/** tsc on the typed manifests: what it printed. */
async function typeCheck(): Promise<string> {
  try {
    await promisify(execFile)(TSC, ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
    return '';
  } catch (error: unknown) {
    const { code, stdout } = error as { code: number; stdout: string };
    // tsc exits 1 or 2 with errors; anything else (no exit code: it could not run) is no answer.
    if (code !== 1 && code !== 2) throw error;
    return stdout;
  }
}

describe('deploy/k8s against the Kubernetes schema (kubernetes-models)', () => {
  it('When the folder is read, then it holds the Deployment, the Service and the migration Job, each of a kind the check knows', () => {
    expect(MANIFESTS.map((m) => `${m.file}: ${m.kind}`)).toEqual([
      'deployment.yaml: apps/v1 Deployment',
      'migrate-job.yaml: batch/v1 Job',
      'service.yaml: v1 Service',
    ]);
  });

  it.each(MANIFESTS.map((m) => [m.file, m] as const))(
    'When %s is validated against its JSON schema, then it has no error',
    (_file, manifest) => {
      expect(schemaErrors(manifest)).toBe('');
    },
  );

  it('When a value has the wrong type or a required field is missing, then the validator refuses it (the check above can fail)', () => {
    const wrongType = deployment();
    (wrongType.object.spec as { replicas: unknown }).replicas = '3';
    const noSelector = deployment();
    delete (noSelector.object.spec as { selector?: unknown }).selector;

    expect(schemaErrors(wrongType)).toContain('spec/replicas must be integer');
    expect(schemaErrors(noSelector)).toContain('spec must have required property selector');
  });

  it('When every manifest is typed with its Kubernetes type, then tsc finds no unknown or mistyped field', () => {
    // Every diagnostic belongs to the misspelt copy: none to the manifests or the config.
    expect(diagnostics.filter((text) => !text.startsWith('misspelt.ts('))).toEqual([]);
  });

  it('When an optional field is misspelt deep inside (the readiness probe’s `timeoutSecond:`), then the JSON schema lets it through and tsc refuses it', () => {
    // Applied leniently, the probe would silently keep Kubernetes' default timeout (1 s).
    const errors = diagnostics.filter((text) => text.startsWith('misspelt.ts('));

    expect(MISSPELT_TEXT).toContain('timeoutSecond"');
    expect(schemaErrors(MISSPELT)).toBe('');
    expect(errors.join('\n')).toMatch(/"timeoutSecond"' does not exist in type 'IProbe'/);
  });
});
