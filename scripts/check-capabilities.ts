import { CAPABILITY_CHECKS } from '@backend-path/shared/capabilities/registry';
import {
  CHECKS_FILE,
  capabilityMatrix,
  checkCapabilities,
  readCapabilities,
} from './lib/capabilities.ts';
import { type Io, parseCli, runAsProgram } from './lib/cli.ts';
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

export async function main(argv: string[], io: Io): Promise<number> {
  const { root, values } = parseCli(
    argv,
    { usage, options: { matrix: { type: 'boolean' } } },
    io.env,
  );
  exitQuietlyOnClosedPipe(io.stdout);
  const stages = discoverStages(root).map(readCapabilities);
  if (values.matrix) {
    const headers = [
      'capability',
      ...stages.map(({ stage }) => String(stage.number).padStart(2, '0')),
    ];
    io.stdout.write(`${formatTable(headers, capabilityMatrix(stages))}\n\n`);
  }
  const problems = checkCapabilities(stages, Object.keys(CAPABILITY_CHECKS));
  if (problems.length > 0) {
    io.stderr.write('A stage breaks the contract the stages before it kept:\n\n');
    for (const problem of problems) io.stderr.write(`  ${problem}\n`);
    return 1;
  }
  io.stdout.write(
    `Every stage keeps its capabilities: ${stages.length} stages, ${Object.keys(CAPABILITY_CHECKS).length} checks.\n`,
  );
  return 0;
}

await runAsProgram(import.meta.url, main);
