import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeployEvent } from '../../../src/engine/events.js';
import { createAlbProvider, type AlbProviderDeps, type AlbTargetSpec } from '../../../src/providers/alb/index.js';
import type { Json, ProviderContext, ShiftContext } from '../../../src/providers/types.js';
import type { Plan } from '../../../src/strategies/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { canaryPlan } from '../../fakes/plans.js';

export const ACCOUNT = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333';
export const LB = `${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`;
export const LISTENER = `${ACCOUNT}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const RULE = `${ACCOUNT}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6f2f1c`;
export const BLUE = `${ACCOUNT}:targetgroup/web-blue/73e2d6bc24d8a067`;
export const GREEN = `${ACCOUNT}:targetgroup/web-green/a1b2c3d4e5f60718`;
export const OTHER = `${ACCOUNT}:targetgroup/web-other/0a0b0c0d0e0f1011`;

export const CANARY_PLAN: Plan = canaryPlan(60);

export const LISTENER_TARGET: AlbTargetSpec = { type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN };

/** An authenticate action before the forward, as DescribeListeners returns it (no client secret). */
export const OIDC: Action = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/authorize',
    TokenEndpoint: 'https://idp.example.com/token',
    UserInfoEndpoint: 'https://idp.example.com/userinfo',
    ClientId: 'web',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    Scope: 'openid',
    SessionTimeout: 604800,
    AuthenticationRequestExtraParams: { prompt: "it's-me" },
    OnUnauthenticatedRequest: 'authenticate',
  },
};

export function forwardTo(groups: readonly (readonly [string, number])[], extra: Partial<Action> = {}, stickiness: { Enabled: boolean; DurationSeconds?: number } = { Enabled: false }): Action {
  return {
    Type: 'forward',
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]![0] } : {}),
    ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), TargetGroupStickinessConfig: stickiness },
    ...extra,
  };
}

export const HEALTHY: TargetHealthDescription[] = [
  { Target: { Id: 'i-1', Port: 80 }, TargetHealth: { State: 'healthy' } },
  { Target: { Id: 'i-2', Port: 80 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } },
];

export interface FakeElb {
  actions: Action[];
  conditions: Json;
  priority: string;
  /** Set to make the next ModifyListener/ModifyRule acknowledge without applying. */
  loseNextWrite: boolean;
  /** Set to make the next write fail, after applying it (a timeout after apply) or without. */
  failNextWrite?: { readonly applied: boolean; readonly error: Error };
  health: TargetHealthDescription[];
  groups: { arn: string; lbs: string[] }[];
}

/**
 * aws-sdk-client-mock standing in for ELB: one listener and one rule held in memory, so whole flows run and every
 * request can be inspected exactly.
 */
export function mockElb(initial: Action[]) {
  const mock = mockClient(ElasticLoadBalancingV2Client);
  const state: FakeElb = {
    actions: structuredClone(initial),
    conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] }, Values: ['/api/*'] }],
    priority: '10',
    loseNextWrite: false,
    health: HEALTHY,
    groups: [
      { arn: BLUE, lbs: [LB] },
      { arn: GREEN, lbs: [LB] },
      { arn: OTHER, lbs: [LB] },
    ],
  };
  const write = (actions: Action[] | undefined): void => {
    const failure = state.failNextWrite;
    delete state.failNextWrite;
    if (state.loseNextWrite) state.loseNextWrite = false;
    else if (!failure || failure.applied) state.actions = structuredClone(actions ?? []);
    if (failure) throw failure.error;
  };
  mock.on(DescribeListenersCommand).callsFake(() => ({ Listeners: [{ ListenerArn: LISTENER, LoadBalancerArn: LB, Port: 443, Protocol: 'HTTPS', DefaultActions: structuredClone(state.actions) }] }));
  mock.on(DescribeRulesCommand).callsFake(() => ({ Rules: [{ RuleArn: RULE, Priority: state.priority, IsDefault: false, Conditions: structuredClone(state.conditions), Actions: structuredClone(state.actions) }] }));
  mock.on(ModifyListenerCommand).callsFake((input: { DefaultActions?: Action[] }) => {
    write(input.DefaultActions);
    return { Listeners: [] };
  });
  mock.on(ModifyRuleCommand).callsFake((input: { Actions?: Action[] }) => {
    write(input.Actions);
    return { Rules: [] };
  });
  mock.on(DescribeTargetGroupsCommand).callsFake((input: { TargetGroupArns?: string[] }) => {
    const wanted = input.TargetGroupArns ?? [];
    const missing = wanted.filter((arn) => !state.groups.some((g) => g.arn === arn));
    if (missing.length > 0) throw Object.assign(new Error(`One or more target groups not found`), { name: 'TargetGroupNotFoundException' });
    return { TargetGroups: wanted.map((arn) => ({ TargetGroupArn: arn, LoadBalancerArns: state.groups.find((g) => g.arn === arn)!.lbs })) };
  });
  mock.on(DescribeTargetHealthCommand).callsFake(() => ({ TargetHealthDescriptions: state.health }));
  const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  return { mock, client, state };
}

export function contexts(clock = new VirtualClock()) {
  const events: DeployEvent[] = [];
  const base: ProviderContext = { deploymentId: 'd-1', signal: new AbortController().signal, clock, emit: (e) => events.push(e) };
  const shift = (snapshot: Json, fromPercent: number): ShiftContext => ({ ...base, snapshot, fromPercent });
  return { base, shift, events, clock };
}

export function provider(client: ElasticLoadBalancingV2Client, target: AlbTargetSpec = LISTENER_TARGET, extra: Partial<AlbProviderDeps> = {}) {
  return createAlbProvider(target, { client, plan: CANARY_PLAN, restore: { attempts: 3, backoffMs: 10 }, ...extra });
}

/** Names of the commands sent, in order. */
export function sent(mock: ReturnType<typeof mockElb>['mock']): string[] {
  return mock.calls().map((call) => (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
}
