import { loadSpecFile } from '../../config/loadSpec.js';
import { parseSpec, planFromSpec, settingsFromSpec, type Locate } from '../../config/resolve.js';
import type { ParsedDeploySpec } from '../../config/schema.js';
import { newDeploymentId, startDeployment, type DeployResult } from '../../engine/deployment.js';
import type { RunningRollout } from '../../engine/runRollout.js';
import { ExitCode } from '../../errors.js';
import { RealClock } from '../../time/clock.js';
import { deploymentDeps, environmentFor, ioHost, stateStore } from '../context.js';
import { locateFlag, specFromFlags, type Flags } from '../toSpec.js';
import type { IoHost } from '../../io/types.js';

/** deployctl canary | linear | blue-green | rolling | big-bang [flags] */
export function rolloutCommand(strategy: string, flags: Flags): Promise<number> {
  return run(parseSpec(specFromFlags(strategy, flags), locateFlag), locateFlag, flags);
}

/** deployctl deploy -f deploy.yaml */
export function deployCommand(flags: Flags): Promise<number> {
  const loaded = loadSpecFile(String(flags.file));
  return run(parseSpec(loaded.value, loaded.locate), loaded.locate, flags);
}

async function run(spec: ParsedDeploySpec, locate: Locate, flags: Flags): Promise<number> {
  const plan = planFromSpec(spec, locate);
  const settings = settingsFromSpec(spec, locate);
  const id = typeof flags.id === 'string' ? flags.id : newDeploymentId(new RealClock());
  const env = await environmentFor(flags, spec, id);
  const io = ioHost(flags, () => env.clock.now());
  const store = await stateStore(flags);
  const deps = await deploymentDeps(env, store, io, plan);
  const stopSignals = abortOnSignals(io);
  try {
    const result = await startDeployment(spec, plan, { ...deps, onRunning: stopSignals.attach }, { id, noWait: flags.wait === false, settings });
    return report(result, io);
  } finally {
    stopSignals.detach();
    env.close();
    io.close();
  }
}

/** The exit code of a finished (or paused) deployment, with a closing line for people. */
export function report(result: DeployResult, io: IoHost): number {
  switch (result.outcome) {
    case 'succeeded':
      return ExitCode.succeeded;
    case 'paused':
      io.info(`deployment ${result.id} is waiting for approval: deployctl promote ${result.id} (or deployctl abort ${result.id})`);
      return ExitCode.paused;
    case 'rejected':
      io.error(`deployment ${result.id} was rejected before anything changed: ${result.failure?.message ?? ''}`);
      // Findings about the targets are bad input; a preflight that could not read AWS is worth a retry.
      return result.failure?.kind === 'preflight' ? ExitCode.badInput : ExitCode.internal;
    case 'rolledBack':
      io.error(`deployment ${result.id} failed and was rolled back: ${result.failure?.message ?? ''}`);
      return ExitCode.rolledBack;
    case 'rollbackFailed':
      io.error(`deployment ${result.id} failed and its ROLLBACK FAILED: restore by hand with`, result.rollbackCommands);
      return ExitCode.rollbackFailed;
    default:
      return ExitCode.internal;
  }
}

/**
 * Ctrl-C (or SIGTERM from a CI runner) aborts and rolls back instead of leaving traffic half-shifted; a second
 * Ctrl-C exits at once and leaves the deployment to `deployctl resume`.
 */
function abortOnSignals(io: IoHost): { attach: (rollout: RunningRollout) => void; detach: () => void } {
  let rollout: RunningRollout | undefined;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled || !rollout) process.exit(130);
    signalled = true;
    io.warn(`${signal}: aborting and rolling back (send it again to exit now and leave the deployment for deployctl resume)`);
    rollout.abort(`${signal} received`);
  };
  return {
    attach: (r) => {
      rollout = r;
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    detach: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
