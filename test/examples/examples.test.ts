import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecFile } from '../../src/config/loadSpec.js';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import type { DeployEvent } from '../../src/engine/events.js';
import type { Environment } from '../../src/environment.js';
import { deploy } from '../../src/sdk.js';
import { FileStore } from '../../src/state/fileStore.js';
import { albState, asgState, copyWorld, ecsState, EXAMPLES, lambdaState, readWorld, route53State, type LiveState } from './exampleWorld.js';

/**
 * Every example in examples/ runs against its simulated world (in-process through the SDK, simulated time): the
 * spec of the healthy release succeeds and leaves the new version serving; the spec of the broken release rolls
 * back on its alarm and leaves the target exactly as it was, read back through the AWS API.
 */

interface Example {
  readonly dir: string;
  readonly world: string;
  readonly read: (env: Environment) => Promise<LiveState>;
  /** The one field (of the target of that type) that differs between deploy.yaml and broken.yaml, with both values. */
  readonly differs: { readonly type: string; readonly field: string; readonly healthy: unknown; readonly broken: unknown };
  /** The alarm that stops the broken release. */
  readonly alarm: string;
  /** The live state after the healthy release succeeded. */
  readonly afterSuccess: LiveState;
  /** An ECS service or Auto Scaling group alone: no traffic provider, the capacity carries the new version. */
  readonly capacityOnly?: boolean;
}

const EXAMPLE_TABLE: readonly Example[] = [
  {
    dir: 'alb-canary',
    world: 'alb',
    read: albState,
    differs: { type: 'alb', field: 'canaryTargetGroupArn', healthy: expect.stringContaining('targetgroup/web-green/'), broken: expect.stringContaining('targetgroup/web-red/') },
    alarm: 'web-5xx-rate',
    afterSuccess: { weights: { 'web-blue': 0, 'web-green': 100, 'web-red': 0 } },
  },
  {
    dir: 'lambda-linear',
    world: 'lambda',
    read: lambdaState,
    differs: { type: 'lambda', field: 'toVersion', healthy: 2, broken: 3 },
    alarm: 'checkout-live-error-rate',
    afterSuccess: { functionVersion: '2', routing: {} },
  },
  {
    dir: 'route53-blue-green',
    world: 'route53',
    read: route53State,
    differs: { type: 'route53', field: 'canarySetIdentifier', healthy: 'green', broken: 'red' },
    alarm: 'api-errors',
    afterSuccess: { weights: { blue: 0, green: 100, red: 0 } },
  },
  {
    dir: 'ecs-canary',
    world: 'ecs',
    read: ecsState,
    differs: { type: 'ecs', field: 'taskDefinition', healthy: 'web:2', broken: 'web:3' },
    alarm: 'web-5xx-rate',
    afterSuccess: {
      services: {
        web: { taskDefinition: 'web:1', desiredCount: 0, running: [], targetGroups: ['web-blue'] },
        'web-canary': { taskDefinition: 'web:2', desiredCount: 4, running: ['web:2', 'web:2', 'web:2', 'web:2'], targetGroups: ['web-green'] },
      },
      weights: { 'web-blue': 0, 'web-green': 100 },
    },
  },
  {
    dir: 'asg-rolling',
    world: 'asg',
    read: asgState,
    differs: { type: 'asg', field: 'launchTemplateVersion', healthy: 2, broken: 3 },
    alarm: 'web-5xx-rate',
    afterSuccess: { launchTemplate: { name: 'web-lt', version: '2' }, capacity: { min: 2, max: 8, desired: 4 }, instanceVersions: ['2', '2', '2', '2'] },
    capacityOnly: true,
  },
];

const runs = new Map<string, ReturnType<typeof runOnce>>();

/** One run per example and spec, shared by the tests that look at it. */
function run(example: Example, spec: 'deploy' | 'broken'): ReturnType<typeof runOnce> {
  const key = `${example.dir}/${spec}`;
  if (!runs.has(key)) runs.set(key, runOnce(example, spec));
  return runs.get(key)!;
}

async function runOnce(example: Example, spec: 'deploy' | 'broken') {
  const dir = mkdtempSync(join(tmpdir(), `deployctl-example-${example.dir}-`));
  const world = copyWorld(example.world, dir);
  const before = await readWorld(world, example.read);
  const loaded = loadSpecFile(join(EXAMPLES, example.dir, `${spec}.yaml`));
  const events: DeployEvent[] = [];
  const store = new FileStore(join(dir, 'state'));
  const result = await deploy(loaded.value as Parameters<typeof deploy>[0], { store, sim: { file: world, virtualTime: true }, onEvent: (e) => events.push(e), id: `d-${example.dir}-${spec}` });
  const after = await readWorld(world, example.read);
  return { result, before, after, events, store, record: await store.get(result.id) };
}

describe('examples/: every example directory has a spec, its broken twin, a workflow and a world', () => {
  it('the table above covers every example directory', () => {
    const dirs = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'worlds').map((d) => d.name).sort();
    expect(dirs).toEqual(EXAMPLE_TABLE.map((e) => e.dir).sort());
  });

  for (const example of EXAMPLE_TABLE) {
    it(`${example.dir}: deploy.yaml and broken.yaml are valid specs that differ only in the name and ${example.differs.field}`, () => {
      for (const file of ['deploy.yaml', 'broken.yaml', 'workflow.yml']) expect(existsSync(join(EXAMPLES, example.dir, file)), `${example.dir}/${file}`).toBe(true);
      expect(existsSync(join(EXAMPLES, 'worlds', `${example.world}.yaml`))).toBe(true);
      const [healthy, broken] = ['deploy', 'broken'].map((name) => {
        const loaded = loadSpecFile(join(EXAMPLES, example.dir, `${name}.yaml`));
        const spec = parseSpec(loaded.value, loaded.locate);
        planFromSpec(spec, loaded.locate);
        return spec;
      }) as [ReturnType<typeof parseSpec>, ReturnType<typeof parseSpec>];
      expect(broken.name).toBe(`${healthy.name}-broken`);
      const index = healthy.targets.findIndex((t) => t.type === example.differs.type);
      expect(healthy.targets[index]).toMatchObject({ [example.differs.field]: example.differs.healthy });
      expect(broken.targets[index]).toMatchObject({ [example.differs.field]: example.differs.broken });
      const blank = (spec: typeof healthy) => ({ ...spec, name: null, targets: spec.targets.map((t, i) => (i === index ? { ...t, [example.differs.field]: null } : t)) });
      expect(blank(broken)).toEqual(blank(healthy));
    });
  }
});

describe('examples/: each example against its simulated world', () => {
  for (const example of EXAMPLE_TABLE) {
    it(`${example.dir}: the healthy release succeeds and serves; the lock is released`, async () => {
      const { result, before, after, events, store } = await run(example, 'deploy');
      expect(result.failure).toBeNull();
      expect(result.outcome).toBe('succeeded');
      if (!example.capacityOnly) expect(result.finalWeight).toBe(100);
      expect(after).toMatchObject(example.afterSuccess);
      expect(after).not.toEqual(before);
      expect(events.filter((e) => e.type === 'rollback.started')).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'deployment.finished', outcome: 'succeeded' });
      for (const target of result.record.targets) expect(await store.holderOf(target.lockKey)).toBeUndefined();
    });

    if (example.capacityOnly) {
      // A capacity-only rollout reports the share of capacity on the new version as its final weight.
      it(`${example.dir}: the result reports 100% on the new version once every task or instance runs it`, async () => {
        const { result } = await run(example, 'deploy');
        expect(result.outcome).toBe('succeeded');
        expect(result.finalWeight).toBe(100);
      });
    }

    it(`${example.dir}: the broken release rolls back on ${example.alarm} and leaves the target exactly as it was`, async () => {
      const { result, before, after, events, record } = await run(example, 'broken');
      expect(result.outcome).toBe('rolledBack');
      expect(result.failure).toMatchObject({ kind: 'gate' });
      expect(result.failure!.message).toContain(example.alarm);
      expect(result.rollbackCommands).toEqual([]);
      expect(record?.status).toBe('rolledBack');
      expect(after).toEqual(before);
      const types = events.map((e) => e.type);
      expect(types).toContain('rollback.started');
      expect(events.find((e) => e.type === 'rollback.finished')).toMatchObject({ ok: true });
      expect(events.filter((e) => e.type === 'target.restored')).toHaveLength(result.record.targets.length);
    });
  }
});
