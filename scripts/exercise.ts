import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fail, type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { type CatcherRun, runCatchers } from './lib/exercise-run.ts';
import {
  appliedExercise,
  applyExercise,
  type Exercise,
  findExercise,
  judge,
  loadExercises,
  renderBreakIt,
  restoreExercise,
  treeHash,
  withBreakIt,
} from './lib/exercises.ts';
import { mapLimit } from './lib/ordered-output.ts';
import { formatTable, paint, useColor } from './lib/output.ts';
import { discoverStages, findStage, type Stage } from './lib/stages.ts';

const usage = `
Usage: pnpm exercise [n] [exercise] [--keep | --check | --restore]

Each stage ships "break it" exercises: a small patch that puts a classic bug back, and the
tests that must catch it. Run one and watch the tests fail for the reason they name.

  pnpm exercise                      the stages and how many exercises each has
  pnpm exercise 5                    stage 05's exercises
  pnpm exercise 5 no-algorithm-pin   break it, run the tests that must catch it, restore the stage
  pnpm exercise 5 2                  the same, by number
  pnpm exercise 5 2 --keep           break it and leave it broken: now fix it yourself
  pnpm exercise 5 --check            after --keep: do those tests pass with your fix?
  pnpm exercise 5 --restore          put the stage back as it was, byte for byte

For maintainers and CI:
  pnpm exercise --verify [n]         every exercise (of stage n): applies, is caught by every test
                                     it names, and the stage is restored byte for byte
  pnpm exercise --readme             rewrite each README's "Break it" list from the exercises

Options:
  --jobs <k>    stages verified at once (default 2)
  --root <dir>  the repository to use (default: this one)
  -h, --help    show this help
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals, root } = parseCli(
    argv,
    {
      usage,
      options: {
        keep: { type: 'boolean' },
        check: { type: 'boolean' },
        restore: { type: 'boolean' },
        verify: { type: 'boolean' },
        readme: { type: 'boolean' },
        jobs: { type: 'string' },
      },
    },
    io.env,
  );
  const modes = ['keep', 'check', 'restore', 'verify', 'readme'].filter((m) => values[m]);
  if (modes.length > 1) fail(`Choose one of --${modes.join(', --')}.`, usage);
  if (positionals.length > 2) fail('Give a stage and at most one exercise.', usage);
  const color = paint(useColor(io.env, io.stdout));
  const say = (line = '') => io.stdout.write(`${line}\n`);
  const stages = discoverStages(root);
  const pick = (arg: string): Stage => {
    try {
      return findStage(stages, arg);
    } catch (error: unknown) {
      fail(error instanceof Error ? error.message : String(error));
    }
  };

  if (values.verify) {
    const jobs = Number(values.jobs ?? '2');
    if (!Number.isInteger(jobs) || jobs < 1) fail('--jobs takes a whole number ≥ 1.', usage);
    const chosen = positionals[0] ? [pick(positionals[0])] : stages;
    return verify(chosen, root, io, jobs);
  }
  if (values.readme) return writeReadmes(stages, root, io);

  const [stageArg, exerciseArg] = positionals;
  if (!stageArg) {
    const rows = stages.map((s) => [s.folder, String(safeLoad(s).length)]);
    say(formatTable(['stage', 'exercises'], rows));
    say("\n`pnpm exercise <n>` lists a stage's exercises.");
    return 0;
  }
  const stage = pick(stageArg);
  let exercises: Exercise[];
  try {
    exercises = loadExercises(stage);
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const applied = appliedExercise(stage.dir);

  if (values.restore) {
    if (!applied) {
      say(`Stage ${stage.folder} has no exercise applied: nothing to restore.`);
      return 0;
    }
    restoreExercise(stage.dir, applied);
    say(`Restored ${stage.folder}: "${applied.name}" is undone, every file as it was.`);
    return 0;
  }

  if (values.check) {
    const name = exerciseArg ?? applied?.name;
    if (!name) fail(`Which exercise? None is kept in ${stage.folder}: give its name.`, usage);
    const exercise = find(exercises, name);
    say(color('bold', `Checking your fix of "${exercise.title}": the tests that caught it…`));
    const run = await runCatchers(stage.dir, root, exercise, (t) => io.stdout.write(t), io.env);
    const verdicts = judge(exercise, run.outcomes);
    const passing = verdicts.every(
      (v) => v.verdict !== 'no such test' && passed(run, v.by.file, v.by.test),
    );
    say();
    if (passing) {
      say(color('green', '✓ Fixed: every test that caught the break passes now.'));
      if (applied)
        say(
          `Your change stays. \`pnpm exercise ${stage.number} --restore\` brings back the original.`,
        );
      return 0;
    }
    say(color('red', '✗ Not yet: a test that caught the break still fails (see above).'));
    return 1;
  }

  if (!exerciseArg) {
    if (exercises.length === 0) {
      say(`Stage ${stage.folder} has no exercises yet.`);
      return 0;
    }
    say(color('bold', `Stage ${stage.folder}: break it, and watch the tests catch it`));
    for (const exercise of exercises) {
      say();
      say(
        `${String(exercise.number).padStart(2)}. ${color('bold', exercise.title)}  (${exercise.name})`,
      );
      say(`    ${exercise.lesson}`);
    }
    say();
    say(
      `Run one: pnpm exercise ${stage.number} <name or number>   (add --keep to fix it yourself)`,
    );
    if (applied)
      say(color('yellow', `Applied right now: "${applied.name}" (--restore undoes it).`));
    return 0;
  }

  const exercise = find(exercises, exerciseArg);
  say(color('bold', `Exercise ${stage.number}.${exercise.number}: ${exercise.title}`));
  say(exercise.lesson);
  say();
  try {
    applyExercise(stage.dir, exercise);
  } catch (error: unknown) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const files = exercise.patches.map((p) => (p.newFileName ?? '').replace(/^b\//, ''));
  say(`Broken: ${files.join(', ')} (read the patch: ${relative(root, exercise.path)}).`);
  // a Ctrl-C while the tests run must still put the stage back (unless the learner keeps it)
  const undo = () => {
    const still = appliedExercise(stage.dir);
    if (still && !values.keep) restoreExercise(stage.dir, still);
  };
  const onSignal = () => {
    undo();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`Running the tests that must catch it: ${exercise.caughtBy.map((b) => b.file).join(', ')}`);
    say();
    const run = await runCatchers(stage.dir, root, exercise, (t) => io.stdout.write(t), io.env);
    const verdicts = judge(exercise, run.outcomes);
    say();
    for (const { by, verdict } of verdicts) {
      const mark = verdict === 'caught' ? color('green', '✓ caught') : color('red', `✗ ${verdict}`);
      say(`${mark}  ${by.file} › ${by.test}`);
    }
    const caught = verdicts.every((v) => v.verdict === 'caught');
    if (values.keep) {
      say();
      say(`The bug stays in. Fix it, then: pnpm exercise ${stage.number} --check`);
      say(`(or put everything back: pnpm exercise ${stage.number} --restore)`);
    }
    return caught ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!values.keep) {
      undo();
      say(`Restored ${stage.folder} byte for byte.`);
    }
  }
}

function find(exercises: Exercise[], arg: string): Exercise {
  try {
    return findExercise(exercises, arg);
  } catch (error: unknown) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

function safeLoad(stage: Stage): Exercise[] {
  try {
    return loadExercises(stage);
  } catch {
    return [];
  }
}

function passed(run: CatcherRun, file: string, test: string): boolean {
  const matching = run.outcomes.filter((o) => o.file.endsWith(file) && o.fullName.includes(test));
  return matching.length > 0 && matching.every((o) => o.status === 'passed');
}

interface Row {
  stage: string;
  exercise: string;
  result: string;
  seconds: number;
  ok: boolean;
  detail?: string;
}

/**
 * CI: every exercise of every stage, one stage's exercises after another (they edit the same
 * files), stages side by side. An exercise passes when its patch applies, every test it names
 * exists and fails, and the stage's files hash the same afterwards as before.
 */
async function verify(stages: Stage[], root: string, io: Io, jobs: number): Promise<number> {
  const color = paint(useColor(io.env, io.stdout));
  const perStage = await mapLimit(stages, jobs, async (stage) => {
    const rows: Row[] = [];
    let exercises: Exercise[];
    try {
      exercises = loadExercises(stage);
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message : String(error);
      return [
        { stage: stage.folder, exercise: '-', result: 'unreadable', seconds: 0, ok: false, detail },
      ];
    }
    const leftover = appliedExercise(stage.dir);
    if (leftover) {
      const detail = `"${leftover.name}" is applied: pnpm exercise ${stage.number} --restore`;
      return [
        {
          stage: stage.folder,
          exercise: leftover.name,
          result: 'applied',
          seconds: 0,
          ok: false,
          detail,
        },
      ];
    }
    for (const exercise of exercises) {
      const before = treeHash(stage.dir);
      const row: Row = {
        stage: stage.folder,
        exercise: exercise.name,
        result: '',
        seconds: 0,
        ok: false,
      };
      try {
        applyExercise(stage.dir, exercise);
      } catch (error: unknown) {
        rows.push({ ...row, result: 'does not apply', detail: String((error as Error).message) });
        continue;
      }
      let run: CatcherRun | undefined;
      try {
        run = await runCatchers(stage.dir, root, exercise, null, io.env);
      } finally {
        const kept = appliedExercise(stage.dir);
        if (kept) restoreExercise(stage.dir, kept);
      }
      const restored = treeHash(stage.dir) === before;
      const verdicts = judge(exercise, run.outcomes);
      const missed = verdicts.filter((v) => v.verdict !== 'caught');
      row.seconds = run.seconds;
      if (!restored) {
        row.result = 'not restored';
        row.detail = 'the stage differs from before the exercise';
      } else if (missed.length > 0) {
        row.result = missed.map((v) => v.verdict).join(', ');
        const broken = run.brokenFiles.map((b) => `${b.file}: ${b.message}`).join('; ');
        row.detail = `${missed.map((v) => `${v.by.file} › ${v.by.test}`).join('; ')}${broken ? ` (file errors: ${broken})` : ''}\n${run.tail.slice(-1500)}`;
      } else {
        row.ok = true;
        row.result = `caught by ${verdicts.length}`;
      }
      rows.push(row);
    }
    return rows;
  });
  const rows = perStage.flat();
  const table = formatTable(
    ['stage', 'exercise', 'result', 'seconds'],
    rows.map((r) => [
      r.stage,
      r.exercise,
      r.ok ? r.result : color('red', r.result),
      r.seconds.toFixed(1),
    ]),
  );
  io.stdout.write(`${table}\n`);
  for (const row of rows.filter((r) => !r.ok)) {
    io.stdout.write(`\n✗ ${row.stage} ${row.exercise}: ${row.result}\n${row.detail ?? ''}\n`);
  }
  const bad = rows.filter((r) => !r.ok).length;
  io.stdout.write(`\n${rows.length - bad} exercises caught and restored, ${bad} not\n`);
  return bad === 0 ? 0 : 1;
}

/** Rewrites the exercise block of every stage README that has exercises. */
function writeReadmes(stages: Stage[], root: string, io: Io): number {
  let missing = 0;
  for (const stage of stages) {
    const exercises = loadExercises(stage);
    if (exercises.length === 0) continue;
    const path = join(stage.dir, 'README.md');
    const next = withBreakIt(readFileSync(path, 'utf8'), renderBreakIt(stage.number, exercises));
    if (next === null) {
      io.stderr.write(
        `${relative(root, path)}: no exercise block to write into (see scripts/lib/exercises.ts)\n`,
      );
      missing++;
      continue;
    }
    writeFileSync(path, next);
    io.stdout.write(`${relative(root, path)}: ${exercises.length} exercises\n`);
  }
  return missing === 0 ? 0 : 1;
}

await runAsProgram(import.meta.url, main);
