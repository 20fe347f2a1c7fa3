import { parseCli } from './lib/cli.ts';
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

const { root } = parseCli(process.argv.slice(2), { usage, options: {} });
const stages = discoverStages(root);

if (stages.length === 0) {
  console.log(`No stages yet in ${root}/stages.`);
} else {
  const rows = stages.map((stage) => [
    String(stage.number).padStart(2, '0'),
    stage.folder,
    stage.description,
    describeNeeds(stage.needs),
  ]);
  console.log(formatTable(['#', 'folder', 'description', 'needs'], rows));
}
