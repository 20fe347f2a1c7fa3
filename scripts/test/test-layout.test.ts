import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { discoverStages } from '../lib/stages.ts';
import { REPO_ROOT } from './helpers/run-script.ts';

// Every stage lays out test/ one way, as src/ is: a folder per feature (test/tickets/,
// test/http/, …), the plumbing that teaches nothing in test/support/, what the stage itself
// promises (capabilities, requests.http) in test/stage/, test doubles in test/fakes/ (stage 02's
// in-memory repository from stage 03 on, the honest fakes from 08) and, from 08, the contract
// runners in test/contract/. A file keeps its folder in every stage that has it, so
// `pnpm diff N-1 N` never shows a test moving, only the lesson.
const stages = discoverStages(REPO_ROOT);

/** The stage's tracked test files, relative to its test/ folder. */
function testFiles(folder: string): string[] {
  const out = execFileSync('git', ['ls-files', '--', `stages/${folder}/test`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const prefix = `stages/${folder}/test/`;
  return out
    .split('\n')
    .filter(Boolean)
    .map((path) => path.slice(prefix.length));
}

describe('the test folders of every stage', () => {
  it.each(stages.map((stage) => [stage.folder]))(
    'When stages/%s/test is listed, then every file sits in a feature folder, one level down (fixtures aside)',
    (folder) => {
      const files = testFiles(folder);
      expect(files.length).toBeGreaterThan(0);
      const misplaced = files.filter((file) => {
        const depth = file.split('/').length;
        return depth !== 2 && !file.startsWith('support/fixtures/');
      });
      expect(misplaced).toEqual([]);
    },
  );

  it('When the same file name is in two stages, then it is in the same folder in both', () => {
    const folderOf = new Map<string, string>();
    const moved: string[] = [];
    for (const stage of stages) {
      for (const file of testFiles(stage.folder)) {
        const name = file.split('/').at(-1) as string;
        const seen = folderOf.get(name);
        if (seen === undefined) folderOf.set(name, file);
        else if (seen !== file) moved.push(`${stage.folder}: ${file} (earlier ${seen})`);
      }
    }
    expect(moved).toEqual([]);
  });
});
