import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runAction, workspace } from './runAction.js';

/**
 * Each example workflow's first job rehearses its spec on the simulated world with the Action. Here that step
 * runs as GitHub would run it (its `with:` as INPUT_* variables, in a checkout holding examples/), through the
 * committed bundle: it must succeed, so a user copying a workflow starts from a green rehearsal.
 */

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, string | boolean>;
}

const EXAMPLES = join(ROOT, 'examples');
const dirs = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'worlds').map((d) => d.name);

describe('the example workflows, rehearsal step', () => {
  for (const dir of dirs) {
    it(`${dir}: the rehearsal step succeeds through the Action bundle`, () => {
      const workflow = parse(readFileSync(join(EXAMPLES, dir, 'workflow.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
      const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => s.uses?.includes('/deployctl@') && s.with?.sim !== undefined);
      expect(step).toBeDefined();
      const { dir: checkout } = workspace();
      mkdirSync(join(checkout, 'examples'));
      cpSync(join(EXAMPLES, dir), join(checkout, 'examples', dir), { recursive: true });
      cpSync(join(EXAMPLES, 'worlds'), join(checkout, 'examples', 'worlds'), { recursive: true });
      const inputs = Object.fromEntries(Object.entries(step!.with!).map(([k, v]) => [k, String(v)]));
      const run = runAction(checkout, inputs);
      expect(run.outputs.result, run.stdout.slice(-2000)).toBe('succeeded');
      expect(run.status).toBe(0);
      expect(run.summary).toContain(': succeeded');
    });
  }
});
