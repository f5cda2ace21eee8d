import { describe, expect, it } from 'vitest';
import { parseSpec, planFromSpec } from '../../src/config/resolve.js';
import { InputError, InputErrors } from '../../src/errors.js';
import { hooksFromFlags, locateFlag, specFromFlags, splitArgs } from '../../src/cli/toSpec.js';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const TG_A = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/943f017f100becff';
const TG_B = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/943f017f100becfe';

function messageFor(strategy: string, flags: Record<string, unknown>): string {
  try {
    planFromSpec(parseSpec(specFromFlags(strategy, flags), locateFlag), locateFlag);
  } catch (error) {
    if (error instanceof InputErrors) return error.problems.map((p) => p.message).join(' | ');
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('CLI flags map onto the deploy spec', () => {
  it('builds an ALB canary spec with gates and hooks', () => {
    const spec = parseSpec(
      specFromFlags('canary', { steps: '1,5,25,100', bake: '5m', listenerArn: LISTENER, stableTg: TG_A, canaryTg: TG_B, alarm: ['a', 'b'], poll: '15s', onInsufficientData: 'pause', hook: ['preTraffic=cmd:./smoke.sh --url "http://x y"'] }),
      locateFlag,
    );
    expect(spec.targets).toEqual([{ type: 'alb', listenerArn: LISTENER, stableTargetGroupArn: TG_A, canaryTargetGroupArn: TG_B }]);
    expect(spec.gates).toEqual({ alarms: ['a', 'b'], poll: '15s', onInsufficientData: 'pause' });
    expect(spec.hooks).toEqual({ preTraffic: { command: ['./smoke.sh', '--url', 'http://x y'] } });
    expect(planFromSpec(spec).steps[0]).toEqual({ type: 'hook', name: 'preTraffic' });
  });

  it('combines an ECS service with an ALB into capacity + traffic', () => {
    const spec = parseSpec(specFromFlags('blue-green', { cluster: 'prod', service: 'web', taskDefinition: 'web:42', listenerArn: LISTENER, targetGroups: `${TG_A},${TG_B}`, bake: '10m' }), locateFlag);
    expect(spec.targets.map((t) => t.type)).toEqual(['ecs', 'alb']);
    expect(planFromSpec(spec).steps.map((s) => s.type)).toEqual(['deployCapacity', 'setWeight', 'bake', 'retireOld']);
  });

  it('splits hook commands without a shell and accepts every hook kind', () => {
    expect(splitArgs(`./x 'a b' "c d" e`)).toEqual(['./x', 'a b', 'c d', 'e']);
    expect(hooksFromFlags(['a=http:https://h.example/x', 'b=lambda:fn', 'c=sh:echo $HOME'])).toEqual({ a: { http: 'https://h.example/x' }, b: { lambda: 'fn' }, c: { command: ['echo $HOME'], shell: true } });
  });
});

describe('bad input names the flag, the value and what is allowed', () => {
  const lambda = { function: 'checkout', alias: 'live', toVersion: '2' };
  const table: [string, string, Record<string, unknown>, RegExp][] = [
    ['steps out of range', 'canary', { ...lambda, steps: '0,50' }, /^--steps: 0 is not valid; each weight must be a number greater than 0 and at most 100/],
    ['steps not increasing', 'canary', { ...lambda, steps: '50,10' }, /^--steps: "50,10" is not valid; weights must be strictly increasing/],
    ['bad bake', 'canary', { ...lambda, steps: '5', bake: 'soon' }, /^--bake: "soon" is not valid; a duration like 30s, 5m or 1h30m/],
    ['malformed listener ARN', 'canary', { steps: '5', listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123:listener/app/x', stableTg: TG_A, canaryTg: TG_B }, /^--listener-arn: "arn:aws:elasticloadbalancing:us-east-1:123:listener\/app\/x" is not valid; an ARN like arn:aws:elasticloadbalancing/],
    ['listener and rule', 'canary', { steps: '5', listenerArn: LISTENER, ruleArn: LISTENER.replace('listener/', 'listener-rule/') + '/1234', stableTg: TG_A, canaryTg: TG_B }, /--listener-arn: .* is not valid; give exactly one of a listener ARN or a rule ARN/],
    ['stable equals canary', 'canary', { steps: '5', listenerArn: LISTENER, stableTg: TG_A, canaryTg: TG_A }, /^--canary-tg: .* the canary target group must differ from the stable one/],
    ['$LATEST', 'canary', { steps: '5', function: 'checkout', alias: 'live', toVersion: '$LATEST' }, /^--to-version: "\$LATEST" is not valid; a published version number \(\$LATEST cannot take weighted traffic\)/],
    ['version and publish', 'canary', { steps: '5', function: 'checkout', alias: 'live', toVersion: '3', publish: true }, /^--to-version: .* give exactly one of a version to shift to or publish: true/],
    ['all-digit alias', 'canary', { steps: '5', function: 'checkout', alias: '123', toVersion: '2' }, /^--alias: "123" is not valid; an alias name/],
    ['wrong record type', 'canary', { steps: '5', hostedZoneId: 'Z123ABC', recordName: 'api.example.com', recordType: 'AAAAA', stableSet: 'blue', canarySet: 'green' }, /^--record-type: "AAAAA" is not valid; use one of "A", "AAAA", "CNAME"/],
    ['bad hosted zone', 'canary', { steps: '5', hostedZoneId: 'zone-1', recordName: 'api.example.com', recordType: 'A', stableSet: 'blue', canarySet: 'green' }, /^--hosted-zone-id: "zone-1" is not valid; a hosted zone id like Z0123456789ABCDEFGHIJ/],
    ['unknown policy', 'canary', { ...lambda, steps: '5', onInsufficientData: 'maybe' }, /^--on-insufficient-data: "maybe" is not valid; use one of "ignore", "fail", "pause"/],
    ['no target', 'canary', { steps: '5' }, /^target flags \(for example --listener-arn/],
    ['bad preset', 'canary', { ...lambda, preset: 'CodeDeployDefault.Nope' }, /^--preset: "CodeDeployDefault.Nope" is not valid/],
    ['preset with steps', 'canary', { ...lambda, preset: 'CodeDeployDefault.LambdaCanary10Percent5Minutes', steps: '1,2' }, /^--steps: "1,2" is not valid; a preset .* decides the steps/],
    ['linear without step', 'linear', { ...lambda }, /^--step-percent: \(missing\) is not valid/],
    ['bad batch', 'rolling', { cluster: 'c', service: 's', taskDefinition: 'web:2', batch: 'half' }, /^--batch: "half" is not valid/],
    ['bad gate error limit', 'canary', { ...lambda, steps: '5', gateErrorLimit: 'many' }, /^--gate-error-limit: "many" is not valid; use a number/],
    ['bad hook', 'canary', { ...lambda, steps: '5', hook: ['smoke=ftp:x'] }, /^--hook: "smoke=ftp:x" is not valid; use name=cmd:/],
    ['undefined hook step', 'canary', { ...lambda, steps: '5,hook:smoke' }, /^--steps: .*no hook named "smoke" is defined/],
  ];
  it.each(table)('%s', (_name, strategy, flags, message) => {
    expect(messageFor(strategy, flags)).toMatch(message);
  });
});
