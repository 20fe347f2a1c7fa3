import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CAPABILITY_CHECKS } from '@backend-path/shared/capabilities/registry';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../check-capabilities.ts';
import {
  CHECKS_FILE,
  capabilityMatrix,
  checkCapabilities,
  readCapabilities,
} from '../lib/capabilities.ts';
import { discoverStages, type Stage } from '../lib/stages.ts';
import { REPO_ROOT, runMain } from './helpers/run-script.ts';

// On small stage folders, through the library (no process): the rule itself. Then this
// repository's stages: the check CI runs (also `pnpm check:capabilities`).
const root = mkdtempSync(join(tmpdir(), 'backend-path-capabilities-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KNOWN = ['envelope', 'cors', 'caller-header', 'auth'];
const CHECKS = "import { it } from 'vitest';\n";
let made = 0;

function stage(
  number: number,
  backendPath: Record<string, unknown>,
  checksFile: string | null = CHECKS,
): Stage {
  const folder = `${String(number).padStart(2, '0')}-s${made++}`;
  const dir = join(root, folder);
  mkdirSync(dirname(join(dir, CHECKS_FILE)), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: folder, backendPath }));
  if (checksFile !== null) writeFileSync(join(dir, CHECKS_FILE), checksFile);
  return { number, folder, dir, name: folder, description: '', needs: [], scripts: {} };
}

function problems(...stages: Stage[]): string[] {
  return checkCapabilities(stages.map(readCapabilities), KNOWN);
}

describe('check:capabilities (the library)', () => {
  it('When each stage keeps what the one before declared, then there is no problem', () => {
    const one = stage(1, { needs: [], capabilities: ['envelope'] });
    const two = stage(2, { needs: [], capabilities: ['envelope', 'cors'] });

    expect(problems(one, two)).toEqual([]);
  });

  it('When a stage silently drops a capability the stage before declared, then it names the stage and the capability', () => {
    const one = stage(1, { capabilities: ['envelope', 'cors'] });
    const two = stage(2, { capabilities: ['envelope'] });

    expect(problems(one, two)).toEqual([
      `${two.folder}: drops cors, which ${one.folder} declares: declare it again, or say why in backendPath.capabilityChanges`,
    ]);
  });

  it('When the dropping stage says why in capabilityChanges, then the drop is allowed, and a changed capability it keeps may say why too', () => {
    const one = stage(1, { capabilities: ['envelope', 'cors', 'caller-header'] });
    const two = stage(2, {
      capabilities: ['envelope', 'cors', 'auth'],
      capabilityChanges: {
        'caller-header': 'A token replaces the header anyone could forge.',
        cors: 'A page sends Authorization instead of X-User-Id.',
      },
    });

    expect(problems(one, two)).toEqual([]);
  });

  it('When a capability was dropped with a reason, then the next stage need not carry it either', () => {
    const one = stage(1, { capabilities: ['envelope', 'caller-header'] });
    const two = stage(2, {
      capabilities: ['envelope', 'auth'],
      capabilityChanges: { 'caller-header': 'A token replaces the header anyone could forge.' },
    });
    const three = stage(3, { capabilities: ['envelope', 'auth'] });

    expect(problems(one, two, three)).toEqual([]);
  });

  it('When capabilityChanges names what the stage before never had, or gives no reason, then both are problems', () => {
    const one = stage(1, { capabilities: ['envelope', 'cors'] });
    const two = stage(2, {
      capabilities: ['envelope'],
      capabilityChanges: { cors: '', auth: 'Auth was never here, so this is stale.' },
    });

    expect(problems(one, two)).toEqual([
      `${two.folder}: capabilityChanges.cors must say why, in a sentence`,
      `${two.folder}: capabilityChanges names auth, which ${one.folder} does not declare`,
    ]);
  });

  it('When a stage declares a capability with no check, twice, or misspelt, then each is named', () => {
    const one = stage(1, { capabilities: ['envelope', 'envelope', 'telepathy', 'Bad_Name'] });

    expect(problems(one)).toEqual([
      `${one.folder}: declares envelope twice`,
      `${one.folder}: declares telepathy, which has no check: add shared/src/capabilities/checks/telepathy.ts and register it in registry.ts`,
      `${one.folder}: "Bad_Name" is no capability name (lowercase words and hyphens)`,
    ]);
  });

  it('When a stage declares no capabilities at all, then it says so', () => {
    const one = stage(1, { needs: [] });

    expect(problems(one)).toEqual([
      `${one.folder}: package.json declares no backendPath.capabilities (an array of capability names)`,
    ]);
  });

  it('When a stage has no checks file, or one that differs from the first stage’s, then it says so', () => {
    const one = stage(1, { capabilities: ['envelope'] });
    const two = stage(2, { capabilities: ['envelope'] }, null);
    const three = stage(3, { capabilities: ['envelope'] }, `${CHECKS}// edited here\n`);

    expect(problems(one, two, three)).toEqual([
      `${two.folder}: has no ${CHECKS_FILE}: copy it from another stage, unchanged`,
      `${three.folder}: ${CHECKS_FILE} differs from ${one.folder}'s: it is one file, the same in every stage`,
    ]);
  });

  it('When the matrix is drawn, then each capability is a row in the order stages add it, marked kept, changed or dropped', () => {
    const one = stage(1, { capabilities: ['envelope', 'caller-header'] });
    const two = stage(2, {
      capabilities: ['envelope', 'auth'],
      capabilityChanges: {
        'caller-header': 'A token replaces the header anyone could forge.',
        envelope: 'The same shape, with a request id in every error.',
      },
    });

    expect(capabilityMatrix([one, two].map(readCapabilities))).toEqual([
      ['envelope', 'x', 'changed'],
      ['caller-header', 'x', 'dropped'],
      ['auth', '', 'x'],
    ]);
  });
});

describe('check:capabilities (the stages of this repository)', () => {
  it('When every stage is compared with the one before, then each keeps its capabilities or says why, and each has a check', () => {
    const stages = discoverStages(REPO_ROOT).map(readCapabilities);

    expect(checkCapabilities(stages, Object.keys(CAPABILITY_CHECKS))).toEqual([]);
  });
});

describe('pnpm check:capabilities', () => {
  it('When a stage drops a capability without a reason, then it exits 1 naming it; with --matrix on this repository, then it prints the table and exits 0', async () => {
    const dropped = join(root, 'dropped');
    for (const [folder, capabilities] of [
      ['01-first', ['envelope', 'cors']],
      ['02-second', ['envelope']],
    ] as const) {
      mkdirSync(dirname(join(dropped, 'stages', folder, CHECKS_FILE)), { recursive: true });
      writeFileSync(
        join(dropped, 'stages', folder, 'package.json'),
        JSON.stringify({ name: folder, backendPath: { capabilities } }),
      );
      writeFileSync(join(dropped, 'stages', folder, CHECKS_FILE), CHECKS);
    }

    const bad = await runMain(main, ['--root', dropped]);
    const good = await runMain(main, ['--matrix', '--root', REPO_ROOT]);

    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cors');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^capability/m);
    expect(good.stdout).toContain('Every stage keeps its capabilities: 10 stages');
  });
});
