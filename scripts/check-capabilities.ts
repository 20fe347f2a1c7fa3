import { CAPABILITY_CHECKS } from '@backend-path/shared/capabilities/registry';
import {
  CHECKS_FILE,
  capabilityMatrix,
  checkCapabilities,
  readCapabilities,
} from './lib/capabilities.ts';
import { parseCli } from './lib/cli.ts';
import { exitQuietlyOnClosedPipe, formatTable } from './lib/output.ts';
import { discoverStages } from './lib/stages.ts';

const usage = `
Usage: pnpm check:capabilities [--matrix]

Every stage declares its capabilities in package.json (backendPath.capabilities) and runs the
black-box check of each against its real server (${CHECKS_FILE}, the same file in every
stage). This checks the rule across stages: each declared capability has a check, and a stage
keeps every capability of the stage before it, or says why in backendPath.capabilityChanges.
Exits 1 and says what to fix when one does not; the scripts' tests (pnpm test) run the same check.

Options:
  --matrix       also print the capability × stage table
  --root <dir>   the repository to read (default: this one)
  -h, --help     show this help
`;

const { root, values } = parseCli(process.argv.slice(2), {
  usage,
  options: { matrix: { type: 'boolean' } },
});
exitQuietlyOnClosedPipe();
const stages = discoverStages(root).map(readCapabilities);
if (values.matrix) {
  const headers = [
    'capability',
    ...stages.map(({ stage }) => String(stage.number).padStart(2, '0')),
  ];
  console.log(formatTable(headers, capabilityMatrix(stages)));
  console.log('');
}
const problems = checkCapabilities(stages, Object.keys(CAPABILITY_CHECKS));
if (problems.length > 0) {
  console.error('A stage breaks the contract the stages before it kept:\n');
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `Every stage keeps its capabilities: ${stages.length} stages, ${Object.keys(CAPABILITY_CHECKS).length} checks.`,
);
