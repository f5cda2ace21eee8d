import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { DeployError } from '../../errors.js';
import type { ProviderContext } from '../types.js';
import type { LambdaApi } from './api.js';
import { aliasProblems, compatibilityProblems, LATEST, type Seen } from './preflight.js';
import type { AliasView } from './routing.js';
import type { LambdaSnapshot } from './snapshot.js';
import { requestedVersion, shortFunctionName, type LambdaTargetSpec } from './target.js';

export interface WaitPolicy {
  /** How often a version still being created is read again, ms (Lambda's PublishedVersionActive waiter: 5 s). */
  readonly pollMs: number;
  /** How long before giving up, ms. */
  readonly timeoutMs: number;
}

export const DEFAULT_WAIT: WaitPolicy = { pollMs: 5_000, timeoutMs: 5 * 60_000 };

/**
 * Re-reads the alias (it must still be what preflight passed), publishes $LATEST when asked (a write, so only
 * here, after preflight), waits until the new version can serve, and keeps the alias exactly as it was.
 */
export async function captureLambda(api: LambdaApi, target: LambdaTargetSpec, seen: Seen | undefined, ctx: ProviderContext, wait: WaitPolicy): Promise<LambdaSnapshot> {
  const where = `alias ${shortFunctionName(target.functionName)}:${target.alias}`;
  const live = await api.readAlias(ctx);
  const problem = aliasProblems(live, where)[0] ?? (seen && seen.oldVersion !== live.functionVersion ? `it points at version ${live.functionVersion}, preflight found version ${seen.oldVersion}` : undefined);
  if (problem !== undefined) throw new DeployError('DRIFT', `${where} changed since preflight: ${problem}`);
  const requested = requestedVersion(target);
  const newVersion = requested ?? (await publishNew(api, live, seen, ctx, wait));
  if (requested !== undefined && requested === live.functionVersion) throw new DeployError('PREFLIGHT_FAILED', `${where} already points at version ${requested}: there is nothing to shift`);
  if (requested !== undefined && seen?.newBusy) await waitUntilReady(api, requested, ctx, wait);
  return {
    provider: 'lambda',
    version: 1,
    functionName: target.functionName,
    alias: target.alias,
    aliasArn: live.arn ?? '',
    oldVersion: live.functionVersion,
    newVersion,
    published: requested === undefined,
    original: {
      FunctionVersion: live.functionVersion,
      ...(Object.keys(live.weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: live.weights } } : {}),
      ...(live.description !== undefined ? { Description: live.description } : {}),
      ...(live.revisionId !== undefined ? { RevisionId: live.revisionId } : {}),
    },
  };
}

/**
 * PublishVersion returns the last version when $LATEST has not changed since it was published (API reference):
 * when that is the alias's own version there is nothing new to roll out, and we say so instead of "shifting" to it.
 */
async function publishNew(api: LambdaApi, live: AliasView, seen: Seen | undefined, ctx: ProviderContext, wait: WaitPolicy): Promise<string> {
  const fn = shortFunctionName(api.functionName);
  if (seen?.newBusy) await waitUntilReady(api, LATEST, ctx, wait);
  const published = await api.publish(seen?.latestCodeSha256, `published by deployctl for deployment ${ctx.deploymentId}`.slice(0, 256), ctx.signal);
  const version = published.Version ?? '';
  if (!/^[0-9]+$/.test(version)) throw new DeployError('AWS_ERROR', `PublishVersion of ${fn} answered version ${JSON.stringify(version)}, not a published version number`);
  if (version === live.functionVersion) {
    throw new DeployError(
      'PREFLIGHT_FAILED',
      `publish: $LATEST of ${fn} has not changed since version ${version} was published, and alias ${fn}:${api.alias} already points at version ${version}: ` +
        `there is nothing new to roll out (Lambda returns the existing version when code and configuration are unchanged). Update the function first, or give toVersion`,
    );
  }
  const old = { Role: seen?.oldRole, DeadLetterConfig: seen?.oldDeadLetter ? { TargetArn: seen.oldDeadLetter } : undefined };
  const oldConfig = seen ? old : await api.version(live.functionVersion, ctx.signal);
  const problems = compatibilityProblems(oldConfig, published, { old: `version ${live.functionVersion} (the alias's version)`, new: `the published version ${version}` });
  if (problems.length > 0) throw new DeployError('PREFLIGHT_FAILED', `${problems.join('; ')} (version ${version} was published; nothing was shifted)`);
  if (published.State !== 'Active') await waitUntilReady(api, version, ctx, wait, published);
  return version;
}

/** Polls on the deployment's clock until the version is Active and not being updated; Failed or a timeout throws. */
export async function waitUntilReady(api: LambdaApi, qualifier: string, ctx: ProviderContext, wait: WaitPolicy, first?: FunctionConfiguration): Promise<void> {
  const name = `${qualifier === LATEST ? '$LATEST' : `version ${qualifier}`} of ${shortFunctionName(api.functionName)}`;
  const deadline = ctx.clock.now() + wait.timeoutMs;
  let config = first ?? (await api.version(qualifier, ctx.signal));
  for (;;) {
    if (config.State === 'Failed' || config.LastUpdateStatus === 'Failed') {
      throw new DeployError('AWS_ERROR', `${name} failed to become ready: ${config.StateReason ?? config.LastUpdateStatusReason ?? 'no reason given'}`);
    }
    if (config.State === 'Active' && config.LastUpdateStatus !== 'InProgress') return;
    if (ctx.clock.now() >= deadline) throw new DeployError('AWS_ERROR', `${name} is still ${String(config.State)} after ${wait.timeoutMs / 1000} s; giving up before any traffic moved`);
    await ctx.clock.sleep(wait.pollMs, ctx.signal);
    config = await api.version(qualifier, ctx.signal);
  }
}
