import { readFileSync } from 'node:fs';
import {
  type Arg,
  type Cmd,
  type Copy,
  DockerfileParser,
  type Env,
  type From,
  type Healthcheck,
  type Instruction,
} from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

// The Dockerfile's invariants, read from its syntax tree (dockerfile-ast): what hadolint checks in
// CI, and what this project promises on top. `pnpm test:image` builds and runs it for real.
const TEXT = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const dockerfile = DockerfileParser.parse(TEXT);
const instructions = dockerfile.getInstructions();
const ROOT_PACKAGE = JSON.parse(
  readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
) as { packageManager: string };

/** The instructions of the last stage: what the image that ships is made of. */
function runtimeStage(): Instruction[] {
  const lastFrom = instructions.findLastIndex((instruction) => instruction.getKeyword() === 'FROM');
  return instructions.slice(lastFrom);
}

const ofKeyword = <T extends Instruction>(list: Instruction[], keyword: string) =>
  list.filter((instruction) => instruction.getKeyword() === keyword) as T[];

describe('Dockerfile', () => {
  it('When the base image is named, then through ARG NODE_IMAGE before any FROM, pinned to a version and variant', () => {
    const [nodeImage] = dockerfile.getInitialARGs() as Arg[];
    const stages = ofKeyword<From>(instructions, 'FROM').map((from) => from.getBuildStage());

    expect(nodeImage?.getProperty()?.getName()).toBe('NODE_IMAGE');
    expect(nodeImage?.getProperty()?.getValue()).toMatch(
      /^node:\d+(\.\d+)*-bookworm-slim(@sha256:[0-9a-f]{64})?$/,
    );
    for (const from of ofKeyword<From>(instructions, 'FROM')) {
      const image = from.getImageName();
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's variable, as written
      expect(image === '${NODE_IMAGE}' || stages.includes(image)).toBe(true);
    }
  });

  it('When the pnpm of the image is pinned, then it is the one package.json names (packageManager)', () => {
    const pnpm = ofKeyword<Arg>(instructions, 'ARG').find(
      (arg) => arg.getProperty()?.getName() === 'PNPM_VERSION',
    );

    expect(`pnpm@${pnpm?.getProperty()?.getValue()}`).toBe(ROOT_PACKAGE.packageManager);
  });

  it('When the runtime stage runs, then as a numeric non-root USER, with NODE_ENV=production', () => {
    const users = ofKeyword(runtimeStage(), 'USER').map((user) => user.getArgumentsContent());
    const env = ofKeyword<Env>(runtimeStage(), 'ENV').flatMap((e) => e.getProperties());

    expect(users).toHaveLength(1);
    expect(users[0]).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(env.find((p) => p.getName() === 'NODE_ENV')?.getValue()).toBe('production');
  });

  it('When the container starts, then CMD is exec form: node itself is PID 1 and receives SIGTERM', () => {
    const [cmd, ...more] = ofKeyword<Cmd>(runtimeStage(), 'CMD');

    expect(more).toEqual([]);
    expect(ofKeyword(runtimeStage(), 'ENTRYPOINT')).toEqual([]);
    expect(cmd?.getJSONStrings().map((s) => s.getJSONValue())).toEqual(['node', 'dist/server.js']);
  });

  it('When the platform asks whether it is healthy, then a HEALTHCHECK runs node (no curl in slim)', () => {
    const [healthcheck] = ofKeyword<Healthcheck>(runtimeStage(), 'HEALTHCHECK');
    const args = healthcheck?.getArgumentsContent() ?? '';

    expect(healthcheck?.getSubcommand()?.getValue()).toBe('CMD');
    expect(args).toContain('["node", "-e"');
    expect(args).toContain('/api/v1/health');
    expect(healthcheck?.getFlags().map((flag) => flag.getName())).toContain('timeout');
  });

  it('When the runtime stage copies files, then only from the build stages, never from the context', () => {
    const copies = ofKeyword<Copy>(runtimeStage(), 'COPY');

    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies)
      expect(copy.getFromFlag()?.getValue()).toMatch(/^(build|prod-deps)$/);
  });

  it('When ENV and ARG are read, then none holds a secret (a secret is a build secret or a run-time variable)', () => {
    const names = [
      ...ofKeyword<Env>(instructions, 'ENV').flatMap((e) => e.getProperties()),
      ...ofKeyword<Arg>(instructions, 'ARG').flatMap((a) => a.getProperty() ?? []),
    ].map((property) => property.getName());

    expect(names.length).toBeGreaterThan(0);
    expect(
      names.filter((name) => /SECRET|PASSWORD|TOKEN|KEY|CREDENTIAL|DATABASE_URL/i.test(name)),
    ).toEqual([]);
    for (const run of ofKeyword(instructions, 'RUN').map((r) => r.getTextContent())) {
      if (run.includes('extra_ca')) expect(run).toContain('--mount=type=secret,id=extra_ca');
    }
  });

  it('When files come from outside, then never by ADD of a URL (unverified downloads)', () => {
    const adds = ofKeyword(instructions, 'ADD').map((add) => add.getArgumentsContent() ?? '');

    expect(adds.filter((args) => /\bhttps?:\/\//.test(args))).toEqual([]);
  });

  it('When the image starts, then it does not migrate: migrations are a one-off command', () => {
    const runtime = runtimeStage().map((instruction) => instruction.getTextContent());

    expect(
      runtime.filter((line) => /^(CMD|ENTRYPOINT)/.test(line) && /migrate/.test(line)),
    ).toEqual([]);
  });
});
