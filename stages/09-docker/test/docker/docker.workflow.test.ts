import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The pipeline, checked offline: GitHub's workflow schema (@action-validator/cli), then the order
// this project promises: nothing is pushed untested or unscanned, and only main deploys.
const FILE = fileURLToPath(new URL('../../.github-workflow.example.yml', import.meta.url));
const TEXT = readFileSync(FILE, 'utf8');
const VALIDATOR = fileURLToPath(
  new URL('../../node_modules/@action-validator/cli/cli.mjs', import.meta.url),
);
// What the pipeline must build and test: this stage, named from its own folder and package.json
// (a copied workflow that still ships the previous stage fails here).
const STAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const FOLDER = `stages/${basename(STAGE_DIR)}`;
const PACKAGE = JSON.parse(readFileSync(join(STAGE_DIR, 'package.json'), 'utf8')).name as string;
const scratch = mkdtempSync(join(tmpdir(), 'backend-path-workflow-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: { name: string };
  services?: Record<string, { image: string; options?: string }>;
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(TEXT) as { jobs: Record<string, Job>; permissions: Record<string, string> };
const { test, hadolint, image, deploy } = workflow.jobs as Record<string, Job>;
const MAIN_PUSH = "github.ref == 'refs/heads/main' && github.event_name == 'push'";
// The two validator runs start a Node process each: under CI's load that alone took over the
// unit project's 2 s (seen), so they get the time a process start needs.
const SPAWNS = 15_000;

/** Runs action-validator on `text`: exit status 0 and no output mean valid. */
function validate(text: string): { ok: boolean; output: string } {
  const file = join(scratch, `workflow-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  try {
    execFileSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error: unknown) {
    return { ok: false, output: String((error as { stderr?: string }).stderr) };
  }
}

describe('.github-workflow.example.yml', () => {
  it(
    'When validated against GitHub’s workflow schema, then it has no error',
    () => {
      expect(validate(TEXT)).toEqual({ ok: true, output: '' });
    },
    SPAWNS,
  );

  it(
    'When a job is misspelt, then the same validator rejects it (the check above can fail)',
    () => {
      const broken = validate(
        TEXT.replace(
          '    runs-on: ubuntu-24.04\n    steps:',
          '    runs-on: ubuntu-24.04\n    stepz:',
        ),
      );

      expect(broken.ok).toBe(false);
      expect(broken.output).toContain("Additional property 'stepz' is not allowed");
    },
    SPAWNS,
  );

  it('When the tests run, then next to real Postgres and Redis service containers, health-checked', () => {
    expect(test?.services?.postgres?.image).toMatch(/^postgres:\d+/);
    expect(test?.services?.redis?.image).toMatch(/^redis:\d+/);
    for (const service of Object.values(test?.services ?? {})) {
      expect(service.options).toContain('--health-cmd');
    }
    expect(test?.steps.map((step) => step.run)).toContain(`pnpm --filter ${PACKAGE} test`);
  });

  it('When the image is built, then only after the tests and hadolint passed, and scanned before any push', () => {
    const names = image?.steps.map((step) => step.name ?? step.uses ?? step.run);

    expect(image?.needs).toEqual(['test', 'hadolint']);
    expect(hadolint?.steps.at(-1)?.with?.dockerfile).toBe(`${FOLDER}/Dockerfile`);
    expect(image?.steps.find((step) => step.name === 'Build')?.with?.file).toBe(
      `${FOLDER}/Dockerfile`,
    );
    expect(names?.indexOf('Build')).toBeLessThan(names?.indexOf('Scan') ?? -1);
    expect(names?.indexOf('Scan')).toBeLessThan(names?.indexOf('Push') ?? -1);
    expect(image?.steps.find((step) => step.name === 'Scan')?.with?.['exit-code']).toBe('1');
  });

  it('When pushed, then to GHCR, on main only, tagged with the commit SHA (never latest)', () => {
    const push = image?.steps.find((step) => step.name === 'Push');
    const name = image?.steps.find((step) => step.run?.includes('ghcr.io'))?.run ?? '';

    expect(push?.if).toBe(MAIN_PUSH);
    expect(name).toContain('ghcr.io/');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's variable, in the YAML
    expect(name).toContain(':${GITHUB_SHA}');
    expect(TEXT).not.toContain(':latest');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(image?.permissions?.packages).toBe('write');
  });

  it('When deploying, then main only, after the image job, held by the production environment, migrations first', () => {
    expect(deploy?.needs).toBe('image');
    expect(deploy?.if).toBe(MAIN_PUSH);
    expect(deploy?.environment?.name).toBe('production');
    const script = deploy?.steps.map((step) => step.run).join('\n') ?? '';
    // The migration job completes before the new image rolls out.
    expect(script.indexOf('--for=condition=complete')).toBeGreaterThan(0);
    expect(script.indexOf('--for=condition=complete')).toBeLessThan(
      script.indexOf('set image deployment'),
    );
  });
});
