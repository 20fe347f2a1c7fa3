import { type Io, parseCli, runAsProgram } from './lib/cli.ts';
import { formatTable } from './lib/output.ts';
import { describeNeeds, discoverStages } from './lib/stages.ts';

const usage = `
Usage: pnpm stages

Lists the stages in this checkout: number, folder, description and the services each one needs.
Run one with \`pnpm stage <n>\`, test one with \`pnpm test <n>\`.

Options:
  --root <dir>  the repository to read (default: this one)
  -h, --help    show this help
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const { root } = parseCli(argv, { usage, options: {} }, io.env);
  const stages = discoverStages(root);

  if (stages.length === 0) {
    io.stdout.write(`No stages yet in ${root}/stages.\n`);
  } else {
    const rows = stages.map((stage) => [
      String(stage.number).padStart(2, '0'),
      stage.folder,
      stage.description,
      describeNeeds(stage.needs),
    ]);
    io.stdout.write(`${formatTable(['#', 'folder', 'description', 'needs'], rows)}\n`);
  }
  return 0;
}

await runAsProgram(import.meta.url, main);
