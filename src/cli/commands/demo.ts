import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseSpec, planFromSpec, settingsFromSpec } from '../../config/resolve.js';
import type { DeploySpec } from '../../config/schema.js';
import { newDeploymentId, startDeployment } from '../../engine/deployment.js';
import { openEnvironment } from '../../environment.js';
import { ExitCode, InputError } from '../../errors.js';
import { DEMO_WORLD } from '../../sim/worlds/demo.js';
import { FileStore } from '../../state/fileStore.js';
import { deploymentDeps, ioHost } from '../context.js';
import type { Flags } from '../toSpec.js';

const demoSpec = (version: number): DeploySpec => ({
  name: `checkout v${version}`,
  strategy: 'canary',
  steps: '1,5,25,100',
  bake: '2m',
  targets: [{ type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: version }],
  gates: { alarms: ['checkout-live-error-rate'], poll: '10s' },
});

/**
 * deployctl demo: on an embedded simulated world (no AWS account), a canary of a healthy version runs to
 * success, then a canary of a broken version trips the error-rate alarm and rolls back by itself.
 * Time runs 20x faster than real time unless --fast (simulated time) or --speed is given.
 */
export async function demoCommand(flags: Flags): Promise<number> {
  const speed = Number(flags.speed ?? 20) || 20;
  const env = await openEnvironment({ sim: { seed: DEMO_WORLD, ...(flags.fast ? { virtualTime: true } : { speed }) } });
  const io = ioHost(flags, () => env.clock.now());
  const stateDir = mkdtempSync(join(tmpdir(), 'deployctl-demo-'));
  const store = new FileStore(stateDir);
  try {
    io.info(`deployctl demo — a simulated AWS world (no account needed)${flags.fast ? ', in simulated time' : `, time running ${speed}x faster`}:
  Lambda function checkout, alias live on version 1, 50 requests/s; alarm checkout-live-error-rate fires above 1% errors.
  1) canary to version 2 (healthy): 1% → 5% → 25% → 100%, 2-minute bakes
  2) canary to version 3 (broken, 30% errors): the alarm fires and deployctl rolls back by itself
`);
    const outcomes: string[] = [];
    for (const version of [2, 3]) {
      const spec = parseSpec(demoSpec(version));
      const plan = planFromSpec(spec);
      const deps = await deploymentDeps(env, store, io, plan);
      const result = await startDeployment(spec, plan, deps, { id: newDeploymentId(env.clock), settings: settingsFromSpec(spec) });
      outcomes.push(`version ${version}: ${result.outcome}${result.failure ? ` (${result.failure.message})` : ''}`);
      io.info('');
    }
    io.info(`demo finished:\n  ${outcomes.join('\n  ')}\nTry it on your own world: deployctl canary --sim examples/worlds/lambda.yaml ... (see README).`);
    const [healthy, broken] = outcomes;
    return healthy?.includes('succeeded') && broken?.includes('rolledBack') ? ExitCode.succeeded : ExitCode.internal;
  } finally {
    io.close();
    env.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** deployctl rehearse: a rollout on a world file in simulated time, with its timeline. */
export async function rehearseCommand(strategy: string | undefined, flags: Flags): Promise<number> {
  const { rolloutCommand, deployCommand } = await import('./rollout.js');
  if (typeof flags.sim !== 'string' || !existsSync(flags.sim)) throw new InputError('--sim', flags.sim, 'rehearse needs an existing world file, e.g. --sim examples/worlds/lambda.yaml');
  // A rehearsal leaves nothing behind: it runs on a copy of the world and records into a temporary state store.
  const scratch = mkdtempSync(join(tmpdir(), 'deployctl-rehearsal-'));
  const world = join(scratch, basename(flags.sim));
  copyFileSync(flags.sim, world);
  const rehearsal = { ...flags, sim: world, stateDir: join(scratch, 'state'), simTime: true, plain: true };
  try {
    return await (strategy ? rolloutCommand(strategy, rehearsal) : deployCommand(rehearsal));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
