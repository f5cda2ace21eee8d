import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DeploySpec } from '../../src/config/schema.js';

/**
 * deploy.schema.json is generated from src/config/schema.ts (the one source of truth) and committed, so editors
 * find it next to the specs. This pins it: regenerated now, it must be byte for byte the committed file. And it
 * must be usable: a draft-07 validator accepts every example spec and refuses what the zod schema refuses.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REGENERATE = 'run `node scripts/generateSchema.mjs` and commit deploy.schema.json';

// ajv 6 (draft-07) is in the tree as ESLint's dependency, pinned by package-lock.json.
const Ajv = createRequire(import.meta.url)('ajv') as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] | null } };

const committed = readFileSync(join(ROOT, 'deploy.schema.json'), 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true }).compile(schema);

function exampleSpecs(): string[] {
  const examples = join(ROOT, 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'worlds')
    .flatMap((d) => readdirSync(join(examples, d.name)).filter((f) => f.endsWith('.yaml')).map((f) => join(examples, d.name, f)));
}

describe('deploy.schema.json', () => {
  it(`is what scripts/generateSchema.mjs makes from src/config/schema.ts now (if not: ${REGENERATE})`, () => {
    const generated = execFileSync(process.execPath, [join(ROOT, 'scripts', 'generateSchema.mjs'), '--stdout'], { cwd: ROOT, encoding: 'utf8' });
    expect(generated === committed, `deploy.schema.json is out of date with src/config/schema.ts: ${REGENERATE}`).toBe(true);
  });

  it('is a draft-07 schema of the whole spec: strategy and targets required, every top-level field described', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['strategy', 'targets']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as object).sort()).toEqual(Object.keys(DeploySpec.shape).sort());
    const targets = (schema.properties as Record<string, { items: { oneOf: { title: string; properties: { type: { const: string } } }[] } }>).targets;
    expect(targets!.items.oneOf.map((t) => t.properties.type.const)).toEqual(['alb', 'lambda', 'route53', 'ecs', 'asg']);
  });

  it('accepts every example spec, and each one says where the schema is for editors', () => {
    const specs = exampleSpecs();
    expect(specs.length).toBeGreaterThanOrEqual(10);
    for (const file of specs) {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0], file).toBe('# yaml-language-server: $schema=../../deploy.schema.json');
      const ok = validate(parse(text));
      expect(ok, `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(DeploySpec.safeParse(parse(text)).success, file).toBe(true);
    }
  });

  const lambda = { type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 };
  const refused: [string, unknown][] = [
    ['no targets', { strategy: 'canary' }],
    ['an unknown strategy', { strategy: 'yolo', targets: [lambda] }],
    ['an unknown field', { strategy: 'canary', targets: [lambda], colour: 'blue' }],
    ['an unknown target type', { strategy: 'canary', targets: [{ type: 'gke', cluster: 'x' }] }],
    ['a weight of 0', { strategy: 'canary', steps: [{ setWeight: 0 }], targets: [lambda] }],
    ['a weight above 100', { strategy: 'canary', steps: [150], targets: [lambda] }],
    ['a duration that is not one', { strategy: 'canary', bake: 'five minutes', targets: [lambda] }],
    ['a listener ARN of the wrong shape', { strategy: 'canary', targets: [{ type: 'alb', listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123:listener/x', targetGroupArns: ['a', 'b'] }] }],
    ['an SNS topic that is not an ARN', { strategy: 'canary', targets: [lambda], notifications: { snsTopicArn: 'deploys' } }],
    ['a webhook that is not a URL', { strategy: 'canary', targets: [lambda], notifications: { slackWebhook: 'hooks.slack.com' } }],
  ];
  for (const [what, spec] of refused) {
    it(`refuses ${what}, as the zod schema does`, () => {
      expect(DeploySpec.safeParse(spec).success).toBe(false);
      expect(validate(spec)).toBe(false);
    });
  }
});
