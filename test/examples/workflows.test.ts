import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flagsFromInputs } from '../../src/action/inputs.js';
import { locateFlag, specFromFlags } from '../../src/cli/toSpec.js';
import { loadSpecFile } from '../../src/config/loadSpec.js';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import { EXAMPLES, ROOT } from './exampleWorld.js';

/**
 * The example workflows use the Action as it is declared: every `with:` key is an input of action.yml, every path
 * exists, the rehearsal runs the example's spec on its world, and a deploy step given as inputs (so a version can
 * come from an earlier step) asks for the same plan and gates as the example's spec.
 */

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly with?: Record<string, string | number | boolean>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: readonly Step[]; readonly needs?: string | string[]; readonly environment?: string }>;
}

const ACTION_INPUTS = Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
const EXAMPLE_DIRS = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'worlds').map((d) => d.name);

function deployctlSteps(workflow: Workflow): { job: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, { steps }]) => steps.filter((s) => s.uses?.includes('/deployctl@')).map((step) => ({ job, step })));
}

/**
 * The inputs as strings, the way GitHub passes them, with each `${{ ... }}` expression replaced by what it stands
 * for in the example's world: `values[input]`, or, for a list input, one value per expression in order.
 */
function inputsOf(step: Step, values: Readonly<Record<string, string | readonly string[]>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([key, v]) => {
      let index = 0;
      return [key, String(v).replace(/\$\{\{[^}]*\}\}/g, () => [values[key] ?? ''].flat()[index++] ?? '')];
    }),
  );
}

describe('examples/*/workflow.yml', () => {
  it('there is one workflow per example', () => {
    expect(EXAMPLE_DIRS.length).toBe(5);
    for (const dir of EXAMPLE_DIRS) expect(existsSync(join(EXAMPLES, dir, 'workflow.yml')), dir).toBe(true);
  });

  for (const dir of EXAMPLE_DIRS) {
    describe(dir, () => {
      const workflow = parse(readFileSync(join(EXAMPLES, dir, 'workflow.yml'), 'utf8')) as Workflow;
      const steps = deployctlSteps(workflow);

      it('uses the Action at v0 with declared inputs only, and paths that exist', () => {
        expect(steps.length).toBeGreaterThanOrEqual(2);
        for (const { step } of steps) {
          expect(step.uses).toBe('your-org/deployctl@v0');
          for (const key of Object.keys(step.with ?? {})) expect(ACTION_INPUTS, `${dir}: input ${key}`).toContain(key);
          for (const key of ['spec', 'sim'] as const) {
            const path = step.with?.[key];
            if (typeof path === 'string') expect(existsSync(join(ROOT, path)), `${dir}: ${key} ${path}`).toBe(true);
          }
        }
      });

      it('rehearses its own spec on its own world, in simulated time, before the job that touches AWS', () => {
        const rehearsal = steps.find(({ step }) => step.with?.sim !== undefined);
        expect(rehearsal?.step.with).toEqual({ spec: `examples/${dir}/deploy.yaml`, sim: expect.stringMatching(/^examples\/worlds\/\w+\.yaml$/), 'sim-time': true });
        const later = Object.entries(workflow.jobs).filter(([job]) => job !== rehearsal!.job);
        expect(later.length).toBeGreaterThan(0);
        const needs = (job: (typeof later)[number][1]) => [job.needs ?? []].flat();
        expect(later.some(([, job]) => needs(job).includes(rehearsal!.job))).toBe(true);
      });

      it('deploys against AWS with a DynamoDB state table, with the plan and gates of the spec', () => {
        const loaded = loadSpecFile(join(EXAMPLES, dir, 'deploy.yaml'));
        const spec = parseSpec(loaded.value, loaded.locate);
        const deploys = steps.filter(({ step }) => step.with?.sim === undefined && (step.with?.command ?? 'deploy') === 'deploy');
        expect(deploys).toHaveLength(1);
        // What the expressions stand for (an earlier step's output, repository variables): the spec's values.
        const values: Record<string, string | string[]> = {};
        for (const target of spec.targets) {
          if (target.type === 'lambda') values['to-version'] = String(target.toVersion);
          if (target.type === 'ecs') values['task-definition'] = target.taskDefinition;
          if (target.type === 'asg') values['launch-template-version'] = String(target.launchTemplateVersion);
          if (target.type === 'alb') Object.assign(values, { 'listener-arn': target.listenerArn ?? '', 'target-groups': [...(target.targetGroupArns ?? [])] });
        }
        const inputs = inputsOf(deploys[0]!.step, values);
        expect(inputs['state-table']).toBe('deployctl-state');
        expect(inputs.sim).toBeUndefined();
        if (inputs.spec !== undefined) {
          expect(inputs.spec).toBe(`examples/${dir}/deploy.yaml`);
          return;
        }
        const flags = flagsFromInputs(inputs);
        const fromInputs = parseSpec(specFromFlags(String(flags.strategy), flags), locateFlag);
        const { approval: _approval, ...withoutApproval } = fromInputs;
        const plan = planFromSpec(parseSpec({ ...withoutApproval, targets: fromInputs.targets }), locateFlag);
        expect(plan).toEqual(planFromSpec(spec, loaded.locate));
        expect(fromInputs.gates?.alarms).toEqual(spec.gates?.alarms);
        expect(fromInputs.targets.map((t) => t.type).sort()).toEqual(spec.targets.map((t) => t.type).sort());
        // Inputs are strings: version 2 and "2" are the same version.
        const same = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'number' ? String(v) : v));
        for (const input of fromInputs.targets) {
          const [target, inSpec] = [same(input), same(spec.targets.find((t) => t.type === input.type))] as [Record<string, unknown>, Record<string, unknown>];
          // The Action has no inputs for the instance refresh's preferences (minHealthyPercentage, instanceWarmup).
          if (input.type === 'asg') expect(inSpec).toMatchObject(target);
          else expect(target).toEqual(inSpec);
        }
        expect(Object.keys(fromInputs.hooks ?? {})).toEqual(Object.keys(spec.hooks ?? {}));
      });

      it('a paused deployment is promoted by a later job behind an environment, by its id', () => {
        const paused = steps.filter(({ step }) => String(step.with?.['no-wait']) === 'true');
        const promotes = steps.filter(({ step }) => step.with?.command === 'promote');
        expect(promotes.length).toBe(paused.length);
        for (const { job, step } of promotes) {
          expect(workflow.jobs[job]!.environment).toBeDefined();
          expect(String(step.with?.['deployment-id'])).toMatch(/^\$\{\{ needs\.\w+\.outputs\.deployment-id \}\}$/);
          expect(step.with?.['state-table']).toBe('deployctl-state');
        }
      });
    });
  }
});
