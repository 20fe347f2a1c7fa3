import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from './stages.ts';

// One contract every stage keeps. Each stage's package.json declares its capabilities
// (`backendPath.capabilities`), and test/stage/capabilities.test.ts runs the check of each against
// the real server. This is the rule across stages: a capability stage N-1 has, stage N keeps,
// or says why not (`backendPath.capabilityChanges`: name → reason). A lesson may change the
// contract; it may not lose part of it without a word.

/** Where the stage runs its checks: the same file, byte for byte, in every stage. */
export const CHECKS_FILE = 'test/stage/capabilities.test.ts';
const NAME = /^[a-z]+(-[a-z]+)*$/;

export interface StageCapabilities {
  stage: Stage;
  /** null: the stage declares none (no `backendPath.capabilities` array of names). */
  capabilities: string[] | null;
  changes: Record<string, unknown>;
}

export function readCapabilities(stage: Stage): StageCapabilities {
  const pkg = JSON.parse(readFileSync(join(stage.dir, 'package.json'), 'utf8'));
  const declared = pkg.backendPath?.capabilities;
  const changes = pkg.backendPath?.capabilityChanges;
  return {
    stage,
    capabilities:
      Array.isArray(declared) && declared.every((name) => typeof name === 'string')
        ? declared
        : null,
    changes: typeof changes === 'object' && changes !== null ? changes : {},
  };
}

/**
 * What is wrong, one line each (empty when every stage keeps the contract). `known`: the
 * capabilities that have a check (shared/src/capabilities/registry.ts).
 */
export function checkCapabilities(stages: StageCapabilities[], known: readonly string[]): string[] {
  const problems: string[] = [];
  let reference: { folder: string; text: string } | undefined;
  stages.forEach((current, index) => {
    const { stage, capabilities, changes } = current;
    const say = (message: string) => problems.push(`${stage.folder}: ${message}`);
    if (capabilities === null) {
      say('package.json declares no backendPath.capabilities (an array of capability names)');
      return;
    }
    const seen = new Set<string>();
    for (const name of capabilities) {
      if (seen.has(name)) say(`declares ${name} twice`);
      seen.add(name);
      if (!NAME.test(name)) say(`"${name}" is no capability name (lowercase words and hyphens)`);
      else if (!known.includes(name)) {
        say(
          `declares ${name}, which has no check: add shared/src/capabilities/checks/${name}.ts and register it in registry.ts`,
        );
      }
    }

    const previous = stages[index - 1];
    const before = previous?.capabilities ?? [];
    for (const name of before) {
      if (!seen.has(name) && !(name in changes)) {
        say(
          `drops ${name}, which ${previous?.stage.folder} declares: declare it again, or say why in backendPath.capabilityChanges`,
        );
      }
    }
    for (const [name, reason] of Object.entries(changes)) {
      if (!before.includes(name)) {
        say(
          `capabilityChanges names ${name}, which ${previous?.stage.folder ?? 'no earlier stage'} does not declare`,
        );
      }
      if (typeof reason !== 'string' || reason.trim().length < 10) {
        say(`capabilityChanges.${name} must say why, in a sentence`);
      }
    }

    const file = join(stage.dir, CHECKS_FILE);
    if (!existsSync(file)) {
      say(`has no ${CHECKS_FILE}: copy it from another stage, unchanged`);
      return;
    }
    const text = readFileSync(file, 'utf8');
    reference ??= { folder: stage.folder, text };
    if (text !== reference.text) {
      say(
        `${CHECKS_FILE} differs from ${reference.folder}'s: it is one file, the same in every stage`,
      );
    }
  });
  return problems;
}

/** The capability × stage table: one row per capability, in the order stages first declare them. */
export function capabilityMatrix(stages: StageCapabilities[]): string[][] {
  const order: string[] = [];
  for (const { capabilities } of stages) {
    for (const name of capabilities ?? []) if (!order.includes(name)) order.push(name);
  }
  return order.map((name) => [
    name,
    ...stages.map(({ capabilities, changes }) => {
      if (capabilities?.includes(name)) return name in changes ? 'changed' : 'x';
      return name in changes ? 'dropped' : '';
    }),
  ]);
}
