import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient, PublishVersionCommand, UpdateAliasCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createLambdaProvider, type LambdaProviderDeps, type LambdaTargetSpec } from '../../../src/providers/lambda/index.js';
import type { Json, ProviderContext, ShiftContext } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { canaryPlan } from '../../fakes/plans.js';

export const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:checkout';
export const ALIAS_ARN = `${FUNCTION_ARN}:live`;
export const ROLE = 'arn:aws:iam::111122223333:role/checkout';

export const CANARY_PLAN: Plan = canaryPlan(60);

export const TARGET: LambdaTargetSpec = { type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: '2' };

export interface FakeAlias {
  FunctionVersion: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  Description?: string;
  RevisionId: string;
}

export interface FakeLambda {
  alias: FakeAlias | undefined;
  versions: Record<string, FunctionConfiguration>;
  /** The next UpdateAlias calls (count) are acknowledged without being applied. */
  loseWrites: number;
  /** Runs before an UpdateAlias is checked (to play a concurrent writer). */
  beforeUpdate?: () => void;
  revisions: number;
}

export function version(Version: string, extra: Partial<FunctionConfiguration> = {}): FunctionConfiguration {
  return { FunctionName: 'checkout', FunctionArn: `${FUNCTION_ARN}:${Version}`, Version, Role: ROLE, State: 'Active', LastUpdateStatus: 'Successful', CodeSha256: `sha-${Version}`, ...extra };
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** aws-sdk-client-mock standing in for Lambda: one alias and its function's versions in memory. */
export function mockLambda(alias: Omit<FakeAlias, 'RevisionId'> | undefined = { FunctionVersion: '1', Description: 'production' }) {
  const mock = mockClient(LambdaClient);
  const state: FakeLambda = {
    alias: alias ? { ...structuredClone(alias), RevisionId: 'rev-0' } : undefined,
    versions: { '1': version('1'), '2': version('2'), $LATEST: version('$LATEST', { CodeSha256: 'sha-latest' }) },
    loseWrites: 0,
    revisions: 0,
  };
  const output = () => ({ AliasArn: ALIAS_ARN, Name: 'live', ...structuredClone(state.alias!) });
  mock.on(GetAliasCommand).callsFake(() => {
    if (!state.alias) throw named('ResourceNotFoundException', `Cannot find alias arn: ${ALIAS_ARN}`);
    return output();
  });
  mock.on(GetFunctionConfigurationCommand).callsFake((input: { Qualifier?: string }) => {
    const found = state.versions[input.Qualifier ?? '$LATEST'];
    if (!found) throw named('ResourceNotFoundException', `Function not found: ${FUNCTION_ARN}:${input.Qualifier}`);
    return structuredClone(found);
  });
  mock.on(UpdateAliasCommand).callsFake((input: { FunctionVersion?: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> }; Description?: string; RevisionId?: string }) => {
    state.beforeUpdate?.();
    if (input.RevisionId !== undefined && input.RevisionId !== state.alias!.RevisionId) throw named('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id.');
    if (state.loseWrites > 0) {
      state.loseWrites -= 1;
      return output();
    }
    applyUpdate(state, input);
    return output();
  });
  mock.on(PublishVersionCommand).callsFake(() => {
    const next = String(Math.max(...Object.keys(state.versions).filter((v) => /^\d+$/.test(v)).map(Number)) + 1);
    state.versions[next] = version(next, { CodeSha256: state.versions.$LATEST!.CodeSha256, Role: state.versions.$LATEST!.Role });
    return structuredClone(state.versions[next]);
  });
  const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  return { mock, client, state };
}

/** What Lambda does with an accepted UpdateAlias: members given are replaced, and the RevisionId changes. */
export function applyUpdate(state: FakeLambda, input: { FunctionVersion?: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> }; Description?: string }): void {
  const alias = state.alias!;
  if (input.FunctionVersion !== undefined) alias.FunctionVersion = input.FunctionVersion;
  if (input.RoutingConfig !== undefined) {
    const weights = input.RoutingConfig.AdditionalVersionWeights ?? {};
    if (Object.keys(weights).length === 0) delete alias.RoutingConfig;
    else alias.RoutingConfig = { AdditionalVersionWeights: { ...weights } };
  }
  if (input.Description !== undefined) alias.Description = input.Description;
  state.revisions += 1;
  alias.RevisionId = `rev-${state.revisions}`;
}

export function contexts(clock = new VirtualClock()) {
  const events: DeployEvent[] = [];
  const base: ProviderContext = { deploymentId: 'd-1', signal: new AbortController().signal, clock, emit: (e) => events.push(e) };
  const shift = (snapshot: Json, fromPercent: number): ShiftContext => ({ ...base, snapshot, fromPercent });
  return { base, shift, events, clock };
}

export function provider(client: LambdaClient, target: LambdaTargetSpec = TARGET, extra: Partial<LambdaProviderDeps> = {}) {
  return createLambdaProvider(target, { client, plan: CANARY_PLAN, restore: { attempts: 3, backoffMs: 10 }, wait: { pollMs: 1000, timeoutMs: 10_000 }, ...extra });
}

/** Names of the commands sent, in order. */
export function sent(mock: ReturnType<typeof mockLambda>['mock']): string[] {
  return mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
}

export function countsOf(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
