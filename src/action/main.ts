import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import { parseSpec, planFromSpec } from '../config/resolve.js';
import { loadSpecFile } from '../config/loadSpec.js';
import type { DeployResult } from '../engine/deployment.js';
import type { DeployEvent } from '../engine/events.js';
import { DeployError, InputError, messageOf } from '../errors.js';
import { continueDeploy, startDeploy } from '../sdk.js';
import { locateFlag, specFromFlags } from '../cli/toSpec.js';
import { createDynamoStore } from '../state/dynamoStore.js';
import { FileStore } from '../state/fileStore.js';
import { describeEvent, gateKey } from '../io/describeEvent.js';
import { flagsFromInputs, inputNamed, readInputs } from './inputs.js';
import { jobSummary } from './summary.js';

/**
 * The GitHub Action: inputs -> the SDK -> outputs (deployment-id, result, final-weight, failure-reason), a job
 * summary, and an error annotation naming the gate and step when it rolled back. The step fails unless the
 * deployment succeeded or paused at an approval (a later job can promote it).
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const flags = flagsFromInputs(readInputs(env));
  const command = String(flags.command ?? 'deploy');
  const store = typeof flags.stateTable === 'string' ? await createDynamoStore(flags.stateTable, { ...(typeof flags.region === 'string' ? { region: flags.region } : {}) }) : new FileStore(String(flags.stateDir ?? '.deployctl'));
  const events: DeployEvent[] = [];
  let lastGate: string | undefined;
  const onEvent = (event: DeployEvent): void => {
    events.push(event);
    const text = describeEvent(event, lastGate);
    lastGate = gateKey(event) ?? lastGate;
    if (text) core.info(text);
  };
  const sim = typeof flags.sim === 'string' ? { sim: { file: flags.sim, virtualTime: flags.simTime === true, faults: (flags.fault as string[] | undefined) ?? [] } } : {};
  const common = { store, onEvent, by: `${env.GITHUB_ACTOR ?? 'github'} (run ${env.GITHUB_RUN_ID ?? '?'})`, noWait: flags.wait === false, ...sim };
  let result: DeployResult;
  let plan;
  if (command === 'deploy') {
    const loaded = typeof flags.spec === 'string' ? loadSpecFile(flags.spec) : undefined;
    let spec;
    try {
      spec = loaded ? parseSpec(loaded.value, loaded.locate) : parseSpec(specFromFlags(strategyInput(flags), flags), locateFlag);
      plan = planFromSpec(spec, loaded?.locate ?? locateFlag);
    } catch (error) {
      throw inputNamed(error);
    }
    result = await startDeploy(spec, { ...common, ...(typeof flags.id === 'string' ? { id: flags.id } : {}) }).result;
  } else if (['promote', 'abort', 'resume'].includes(command)) {
    const id = typeof flags.deploymentId === 'string' ? flags.deploymentId : undefined;
    if (!id) throw new InputError('input deployment-id', undefined, `the ${command} command needs the id of the deployment (an output of the deploying step)`);
    result = await continueDeploy(id, command === 'promote' ? (flags.full ? 'promoteFull' : 'promote') : command === 'abort' ? 'abort' : 'resume', common);
    plan = result.record.plan;
  } else {
    throw new InputError('input command', command, 'use deploy, promote, abort or resume');
  }
  report(result, plan, events, env);
}

function strategyInput(flags: Record<string, unknown>): string {
  if (typeof flags.strategy !== 'string') throw new InputError('input strategy', undefined, 'give a strategy (canary, linear, blue-green, rolling, big-bang) or a spec file (input spec)');
  return flags.strategy;
}

function report(result: DeployResult, plan: ReturnType<typeof planFromSpec>, events: readonly DeployEvent[], env: NodeJS.ProcessEnv): void {
  core.setOutput('deployment-id', result.id);
  core.setOutput('result', result.outcome);
  core.setOutput('final-weight', String(result.finalWeight));
  core.setOutput('failure-reason', result.failure?.message ?? '');
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, jobSummary(result, plan, events));
  if (result.outcome === 'rolledBack' || result.outcome === 'rollbackFailed') {
    const step = result.failure?.stepIndex !== undefined ? ` at step ${result.failure.stepIndex + 1}` : '';
    core.error(`${result.failure?.message ?? 'deployment failed'}${step}`, { title: result.outcome === 'rolledBack' ? `deployctl rolled back ${result.id}` : `deployctl ROLLBACK FAILED for ${result.id}` });
    core.setFailed(result.outcome === 'rolledBack' ? `deployment ${result.id} rolled back: ${result.failure?.message ?? ''}` : `deployment ${result.id}: rollback failed; restore by hand:\n${result.rollbackCommands.join('\n')}`);
  } else if (result.outcome === 'rejected') {
    core.setFailed(`deployment ${result.id} was rejected before anything changed: ${result.failure?.message ?? ''}`);
  } else if (result.outcome === 'paused') {
    core.notice(`deployment ${result.id} is waiting for approval; promote it with command: promote, deployment-id: ${result.id}`);
  }
}

if (process.env.GITHUB_ACTIONS === 'true' || process.env.DEPLOYCTL_ACTION === '1') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runAction().catch((error: unknown) => {
    if (error instanceof DeployError) core.setOutput('result', error.code === 'LOCKED' ? 'locked' : 'error');
    core.setFailed(messageOf(error));
  });
}
