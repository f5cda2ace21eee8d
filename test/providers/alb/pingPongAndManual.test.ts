import { execFileSync } from 'node:child_process';
import { type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { albCallsFor, albReadCalls, albResourceArns, albWriteCalls } from '../../../src/providers/alb/index.js';
import { shellQuote } from '../../../src/providers/alb/manual.js';
import { planWeightErrors, weightsFor } from '../../../src/providers/alb/weights.js';
import { BLUE, contexts, forwardTo, GREEN, LISTENER, mockElb, OIDC, provider, RULE } from './fixtures.js';

let active: ReturnType<typeof mockElb> | undefined;
function elb(actions: Action[]) {
  active = mockElb(actions);
  return active;
}
afterEach(() => active?.mock.restore());

const PING_PONG = { type: 'alb' as const, listenerArn: LISTENER, targetGroupArns: [BLUE, GREEN] as [string, string] };

async function fullRollout(client: ReturnType<typeof mockElb>['client']) {
  const alb = provider(client, PING_PONG);
  const ctx = contexts();
  const report = await alb.preflight(ctx.base);
  const snapshot = await alb.capture(ctx.base);
  let from = 0;
  for (const percent of [1, 5, 25, 100]) {
    await alb.setWeight(percent, ctx.shift(snapshot, from));
    from = percent;
  }
  return { alb, report, snapshot };
}

describe('ALB ping-pong (targetGroupArns)', () => {
  it('shifts to the group not serving today, so consecutive deployments alternate', async () => {
    const { client, state } = elb([forwardTo([[BLUE, 1], [GREEN, 0]])]);
    const first = await fullRollout(client);
    expect(first.alb.roles()).toEqual({ stable: BLUE, canary: GREEN });
    expect(first.report.facts).toMatchObject({ stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN, pingPong: 'targetgroup/web-blue serves today; shifting to targetgroup/web-green' });
    expect(state.actions[0]!.ForwardConfig!.TargetGroups).toEqual([{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }]);

    const second = await fullRollout(client);
    expect(second.alb.roles()).toEqual({ stable: GREEN, canary: BLUE });
    expect(second.snapshot).toMatchObject({ roles: { stable: GREEN, canary: BLUE } });
    expect(state.actions[0]!.ForwardConfig!.TargetGroups).toEqual([{ TargetGroupArn: BLUE, Weight: 100 }, { TargetGroupArn: GREEN, Weight: 0 }]);
    // The label does not change with the roles: the engine keys the captured configuration by it.
    expect(second.alb.label).toBe(first.alb.label);
  });

  it('refuses when neither group carries all the weight', async () => {
    const { client } = elb([forwardTo([[BLUE, 50], [GREEN, 50]])]);
    const report = await provider(client, PING_PONG).preflight(contexts().base);
    expect(report.errors).toEqual([
      `listener ${LISTENER} forwards to targetgroup/web-blue (weight 50) and targetgroup/web-green (weight 50); with targetGroupArns exactly one of targetgroup/web-blue and targetgroup/web-green must carry all the forward weight (the one serving today) — a rollout may be in progress or was left half-shifted; finish it or roll it back first`,
    ]);
  });

  it('a resumed process takes the roles from the snapshot, not from what serves now', async () => {
    const { client } = elb([forwardTo([[BLUE, 1]])]);
    const { snapshot } = await fullRollout(client);
    const resumed = provider(client, PING_PONG);
    const ctx = contexts();
    // Green serves everything now; a fresh preflight would call it stable. The snapshot says it is the canary.
    expect(await resumed.verifyWeight(100, ctx.shift(snapshot, 100))).toEqual({ status: 'ok' });
    expect(resumed.roles()).toEqual({ stable: BLUE, canary: GREEN });
    await resumed.restore(snapshot, ctx.base);
    expect(await resumed.readWeight(snapshot, ctx.base)).toBe(0);
  });
});

describe('ALB weights', () => {
  it('maps whole percents to (100 − p, p) and tenths to (1000 − 10p, 10p)', () => {
    expect([1, 5, 25, 100].map(weightsFor)).toEqual([
      { stable: 99, canary: 1 },
      { stable: 95, canary: 5 },
      { stable: 75, canary: 25 },
      { stable: 0, canary: 100 },
    ]);
    expect([0.1, 0.5, 12.5, 99.9].map(weightsFor)).toEqual([
      { stable: 999, canary: 1 },
      { stable: 995, canary: 5 },
      { stable: 875, canary: 125 },
      { stable: 1, canary: 999 },
    ]);
    expect(() => weightsFor(0.05)).toThrow(RangeError);
    expect(planWeightErrors({ strategy: 'linear', steps: [{ type: 'setWeight', weight: 33.3 }, { type: 'setWeight', weight: 33.33 }] })).toHaveLength(1);
  });
});

describe('ALB manual restore commands', () => {
  it('prints modify-listener with the captured JSON, quoted so a POSIX shell passes it through intact', async () => {
    const original = [OIDC, { ...forwardTo([[BLUE, 1]]), Order: 2 }];
    const { client } = elb(original);
    const alb = provider(client);
    const snapshot = await alb.capture(contexts().base);
    const [write, check] = alb.manualRestoreCommands(snapshot);
    const onTheWire = [{ ...OIDC, AuthenticateOidcConfig: { ...OIDC.AuthenticateOidcConfig, UseExistingClientSecret: true } }, original[1]];
    expect(write).toBe(`aws elbv2 modify-listener --region 'eu-west-1' --listener-arn '${LISTENER}' --default-actions ${shellQuote(JSON.stringify(onTheWire))}`);
    expect(check).toBe(`aws elbv2 describe-listeners --region 'eu-west-1' --listener-arns '${LISTENER}' --query 'Listeners[0].DefaultActions'`);
    // The OIDC extra param holds a single quote: the shell must hand the JSON over unchanged.
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${write!.replace(/^aws /, '')}`], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(JSON.parse(argv[argv.length - 1]!)).toEqual(onTheWire);
  });

  it('prints modify-rule --actions for a rule, and an inspection command when nothing was captured', async () => {
    const { client } = elb([forwardTo([[BLUE, 1]])]);
    const alb = provider(client, { type: 'alb', ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN });
    const snapshot = await alb.capture(contexts().base);
    expect(alb.manualRestoreCommands(snapshot)[0]).toBe(`aws elbv2 modify-rule --region 'eu-west-1' --rule-arn '${RULE}' --actions ${shellQuote(JSON.stringify([forwardTo([[BLUE, 1]])]))}`);
    expect(alb.manualRestoreCommands(null)).toEqual([
      `# ${alb.label}: no captured configuration was recorded, so there is nothing exact to restore; inspect it with:`,
      `aws elbv2 describe-rules --region 'eu-west-1' --rule-arns '${RULE}' --query 'Rules[0].Actions'`,
    ]);
  });
});

describe('ALB calls and resources for plan and IAM', () => {
  it('lists the operations and the ARNs a target touches', () => {
    expect(albReadCalls).toEqual(['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth']);
    expect(albWriteCalls).toEqual(['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule']);
    expect(albCallsFor({ type: 'alb', ruleArn: RULE, stableTargetGroupArn: BLUE, canaryTargetGroupArn: GREEN })).toEqual({
      read: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
      write: ['elasticloadbalancing:ModifyRule'],
    });
    expect(albResourceArns(PING_PONG)).toEqual({ written: [LISTENER], read: [LISTENER, BLUE, GREEN], describeNeedsWildcard: true });
  });
});
