import type { ParsedDeploySpec, TargetSpec } from '../config/schema.js';

/** One IAM statement: actions on resources, optionally with conditions. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[] | string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[] | string>>>>;
}

/** What a rollout calls for one traffic shift on each kind of target (read, write, read back). */
export const SHIFT_CALLS: Readonly<Record<TargetSpec['type'], readonly string[]>> = {
  alb: ['elasticloadbalancing:DescribeListeners|DescribeRules (read)', 'ModifyListener|ModifyRule (write the whole action list)', 'DescribeListeners|DescribeRules (read back)'],
  lambda: ['lambda:GetAlias (read, RevisionId)', 'UpdateAlias (write, guarded by RevisionId)', 'GetAlias (read back)'],
  route53: ['route53:ListResourceRecordSets (read)', 'ChangeResourceRecordSets (DELETE+CREATE, a compare-and-swap)', 'GetChange until INSYNC', 'ListResourceRecordSets (read back)'],
  ecs: ['ecs:UpdateService (to start, and once more to give the service its deployment configuration back)', 'DescribeServices until COMPLETED (split: DescribeTargetHealth of the new side; native: DescribeServiceDeployments)'],
  asg: ['autoscaling:StartInstanceRefresh (once)', 'DescribeInstanceRefreshes until the checkpoint is reached'],
};

const region = (arn: string | undefined) => arn?.split(':')[3] || '*';
const account = (arn: string | undefined) => arn?.split(':')[4] || '*';

/** Least privilege for one target: describe calls where AWS has no resource-level permission, writes scoped. */
function targetStatements(target: TargetSpec, index: number): Statement[] {
  const sid = (name: string) => `${name}${index}`;
  switch (target.type) {
    case 'alb': {
      const writes = target.ruleArn ? ['elasticloadbalancing:ModifyRule'] : ['elasticloadbalancing:ModifyListener'];
      return [
        { Sid: sid('AlbRead'), Effect: 'Allow', Action: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'], Resource: '*' },
        { Sid: sid('AlbShift'), Effect: 'Allow', Action: writes, Resource: [target.ruleArn ?? target.listenerArn ?? '*'] },
      ];
    }
    case 'lambda': {
      const arn = target.functionName.startsWith('arn:') ? target.functionName : `arn:aws:lambda:*:*:function:${target.functionName}`;
      return [
        { Sid: sid('LambdaRead'), Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:GetFunctionConfiguration'], Resource: [arn, `${arn}:*`] },
        { Sid: sid('LambdaShift'), Effect: 'Allow', Action: ['lambda:UpdateAlias', ...(target.publish ? ['lambda:PublishVersion'] : [])], Resource: [target.publish ? arn : `${arn}:${target.alias}`, ...(target.publish ? [`${arn}:${target.alias}`] : [])] },
      ];
    }
    case 'route53': {
      const zone = `arn:aws:route53:::hostedzone/${target.hostedZoneId.replace(/^\/hostedzone\//, '')}`;
      const name = target.recordName.replace(/\.$/, '').toLowerCase();
      return [
        { Sid: sid('Route53Read'), Effect: 'Allow', Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], Resource: [zone] },
        { Sid: sid('Route53Change'), Effect: 'Allow', Action: ['route53:GetChange'], Resource: ['arn:aws:route53:::change/*'] },
        {
          Sid: sid('Route53Shift'),
          Effect: 'Allow',
          Action: ['route53:ChangeResourceRecordSets'],
          Resource: [zone],
          Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [name], 'route53:ChangeResourceRecordSetsRecordTypes': [target.recordType] } },
        },
      ];
    }
    case 'ecs': {
      const cluster = target.cluster.startsWith('arn:') ? target.cluster.split('/').pop() : target.cluster;
      const services = [target.service, ...(target.canaryService ? [target.canaryService] : [])].map((s) => `arn:aws:ecs:*:*:service/${cluster}/${s.split('/').pop()}`);
      return [
        { Sid: sid('EcsRead'), Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:DescribeServiceDeployments'], Resource: '*' },
        { Sid: sid('EcsDeploy'), Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:StopServiceDeployment'], Resource: services },
        // Native deployments follow ECS shifting the production listener rule (read-only).
        ...(target.native ? [{ Sid: sid('EcsNativeRead'), Effect: 'Allow' as const, Action: ['elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules'], Resource: '*' }] : []),
      ];
    }
    case 'asg': {
      const groups = [target.autoScalingGroupName, ...(target.newGroupName ? [target.newGroupName] : [])].map((g) => `arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${g}`);
      return [
        { Sid: sid('AsgRead'), Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeScalingActivities', 'elasticloadbalancing:DescribeTargetHealth'], Resource: '*' },
        { Sid: sid('AsgDeploy'), Effect: 'Allow', Action: ['autoscaling:StartInstanceRefresh', 'autoscaling:CancelInstanceRefresh', 'autoscaling:RollbackInstanceRefresh', 'autoscaling:UpdateAutoScalingGroup'], Resource: groups },
        // AWS checks launch-template permissions whenever a request names a launch template (and iam:PassRole for
        // an instance profile, ec2:CreateTags for tag specifications — add those if your template has them).
        { Sid: sid('AsgLaunchTemplate'), Effect: 'Allow', Action: ['ec2:RunInstances'], Resource: '*' },
      ];
    }
    default: {
      const unknown: never = target;
      throw new Error(`unknown target ${JSON.stringify(unknown)}`);
    }
  }
}

/** The least-privilege policy for exactly the resources and calls a spec needs. */
export function iamPolicy(spec: ParsedDeploySpec, options: { readonly stateTable?: string } = {}): { Version: '2012-10-17'; Statement: Statement[] } {
  const statements = spec.targets.flatMap((t, i) => targetStatements(t, i + 1));
  const gates = spec.gates ?? {};
  if ((gates.alarms?.length ?? 0) > 0 || gates.alarmPrefix) {
    // DescribeAlarms on composite alarms requires Resource "*" (AWS documents this); it is read-only.
    statements.push({ Sid: 'Gates', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: '*' });
  }
  if ((gates.metrics?.length ?? 0) > 0 || Object.keys(spec.analyses ?? {}).length > 0) statements.push({ Sid: 'Metrics', Effect: 'Allow', Action: ['cloudwatch:GetMetricData'], Resource: '*' });
  const lambdaHooks = Object.values(spec.hooks ?? {}).flatMap((h) => ('lambda' in h ? [h.lambda] : []));
  if (lambdaHooks.length > 0) statements.push({ Sid: 'Hooks', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: lambdaHooks.map((f) => (f.startsWith('arn:') ? f : `arn:aws:lambda:*:*:function:${f}`)) });
  if (spec.notifications?.snsTopicArn) statements.push({ Sid: 'Notify', Effect: 'Allow', Action: ['sns:Publish'], Resource: [spec.notifications.snsTopicArn] });
  if (options.stateTable) {
    const firstArn = spec.targets.map((t) => ('listenerArn' in t ? t.listenerArn ?? t.ruleArn : undefined)).find(Boolean);
    statements.push({ Sid: 'StateStore', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'], Resource: [`arn:aws:dynamodb:${region(firstArn)}:${account(firstArn)}:table/${options.stateTable}`] });
  }
  if (spec.aws?.roleArn) statements.push({ Sid: 'AssumeWorkloadRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [spec.aws.roleArn] });
  return { Version: '2012-10-17', Statement: statements };
}
