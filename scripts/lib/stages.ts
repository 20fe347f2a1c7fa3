import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Need = 'postgres' | 'redis';

export interface Stage {
  /** 3 for `stages/03-postgres` */
  number: number;
  /** `03-postgres` */
  folder: string;
  dir: string;
  /** package name, e.g. `@backend-path/stage-03-postgres` */
  name: string;
  description: string;
  needs: Need[];
  scripts: Record<string, string>;
}

const FOLDER = /^(\d{2})-[a-z0-9][a-z0-9-]*$/;
const KNOWN_NEEDS: readonly Need[] = ['postgres', 'redis'];

interface StagePackageJson {
  name?: string;
  description?: string;
  scripts?: Record<string, string>;
  backendPath?: { needs?: unknown };
}

/** Every `stages/NN-slug/package.json` under root, in stage order. */
export function discoverStages(root: string): Stage[] {
  const stagesDir = join(root, 'stages');
  if (!existsSync(stagesDir)) return [];
  const stages: Stage[] = [];
  for (const folder of readdirSync(stagesDir).sort()) {
    const match = FOLDER.exec(folder);
    const manifest = join(stagesDir, folder, 'package.json');
    if (!match || !existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as StagePackageJson;
    const needs = Array.isArray(pkg.backendPath?.needs) ? pkg.backendPath.needs : [];
    stages.push({
      number: Number(match[1]),
      folder,
      dir: join(stagesDir, folder),
      name: pkg.name ?? folder,
      description: pkg.description ?? '',
      needs: KNOWN_NEEDS.filter((need) => needs.includes(need)),
      scripts: pkg.scripts ?? {},
    });
  }
  return stages;
}

/** Accepts `3`, `03`, `03-postgres` (and `stages/03-postgres/`, as tab completion types it). */
export function findStage(stages: Stage[], arg: string): Stage {
  const wanted = arg.replace(/\/+$/, '').replace(/^(\.\/)?stages\//, '');
  const found = /^\d{1,2}$/.test(wanted)
    ? stages.find((stage) => stage.number === Number(wanted))
    : stages.find((stage) => stage.folder === wanted);
  if (found) return found;
  const known = stages.map((stage) => stage.folder).join(', ') || 'none yet';
  throw new Error(`No stage "${arg}". Stages in this checkout: ${known}.`);
}

export function describeNeeds(needs: Need[]): string {
  if (needs.length === 0) return 'none';
  return needs.map((need) => (need === 'postgres' ? 'Postgres' : 'Redis')).join(' + ');
}
