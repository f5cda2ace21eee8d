import { z } from 'zod';

/**
 * The one schema for deployment options: the SDK's `DeployOptions` type, the deploy.yaml / JSON spec format,
 * and the committed deploy.schema.json are all derived from it. CLI flags are mapped onto the same shape.
 */

const text = (description: string) => z.string().min(1).meta({ description });

/** ARNs are checked by shape before any AWS call, so a typo is exit 2 with the flag named, not an AWS error. */
const arnOf = (resource: string, example: string, description: string) =>
  z
    .string()
    .regex(new RegExp(`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:${resource}$`), `an ARN like ${example}`)
    .meta({ description });
const LISTENER_ARN = arnOf('listener/(app|net)/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', 'Listener whose default action forwards to the target groups.');
const RULE_ARN = arnOf('listener-rule/(app|net)/[A-Za-z0-9-]+/[0-9a-f]+/[0-9a-f]+/[0-9a-f]+', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee', 'Listener rule whose forward action is shifted (instead of the default action).');
const TG_ARN = (description: string) => arnOf('targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/943f017f100becff', description);

/** `30s`, `5m`, `1h30m`, or a number of seconds. Checked further by parseDuration, which gives the message. */
export const Duration = z
  .union([z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d)?)+$/, 'a duration like 30s, 5m or 1h30m'), z.number().nonnegative()])
  .meta({ description: 'A duration like 30s, 5m, 1h30m, or a number of seconds.' });

const Percent = z.number().gt(0).lte(100);

export const AlbTarget = z
  .object({
    type: z.literal('alb'),
    listenerArn: LISTENER_ARN.optional(),
    ruleArn: RULE_ARN.optional(),
    stableTargetGroupArn: TG_ARN('Target group serving the current version.').optional(),
    canaryTargetGroupArn: TG_ARN('Target group serving the new version.').optional(),
    targetGroupArns: z
      .tuple([TG_ARN('First target group.'), TG_ARN('Second target group.')])
      .optional()
      .meta({ description: 'Two target groups: deployctl finds the one serving today and shifts to the other (ping-pong).' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!t.listenerArn === !t.ruleArn) ctx.addIssue({ code: 'custom', path: ['listenerArn'], message: 'give exactly one of a listener ARN or a rule ARN' });
    const pair = t.stableTargetGroupArn !== undefined || t.canaryTargetGroupArn !== undefined;
    if (pair === (t.targetGroupArns !== undefined)) ctx.addIssue({ code: 'custom', path: ['targetGroupArns'], message: 'give either the stable and canary target groups, or two target groups to alternate between' });
    else if (pair && (!t.stableTargetGroupArn || !t.canaryTargetGroupArn)) ctx.addIssue({ code: 'custom', path: [t.stableTargetGroupArn ? 'canaryTargetGroupArn' : 'stableTargetGroupArn'], message: 'both the stable and the canary target group are needed' });
    else if (pair && t.stableTargetGroupArn === t.canaryTargetGroupArn) ctx.addIssue({ code: 'custom', path: ['canaryTargetGroupArn'], message: 'the canary target group must differ from the stable one' });
    if (t.targetGroupArns && t.targetGroupArns[0] === t.targetGroupArns[1]) ctx.addIssue({ code: 'custom', path: ['targetGroupArns'], message: 'two different target groups are needed' });
  })
  .meta({ title: 'ALB weighted target groups' });

export const LambdaTarget = z
  .object({
    type: z.literal('lambda'),
    functionName: z
      .string()
      .regex(/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[a-zA-Z0-9-_]{1,64}$/, 'a function name (letters, digits, - and _, up to 64) or its ARN')
      .meta({ description: 'Function name or ARN.' }),
    alias: z.string().regex(/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/, 'an alias name (letters, digits, - and _, not all digits)').meta({ description: 'Alias whose routing is shifted.' }),
    toVersion: z
      .union([z.string().regex(/^[1-9]\d*$/, 'a published version number ($LATEST cannot take weighted traffic)'), z.number().int().positive()])
      .optional()
      .meta({ description: 'Published version to shift to.' }),
    publish: z.boolean().optional().meta({ description: 'Publish the current code as a new version first.' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.toVersion === undefined) === !t.publish) ctx.addIssue({ code: 'custom', path: ['toVersion'], message: 'give exactly one of a version to shift to or publish: true' });
  })
  .meta({ title: 'Lambda alias weighted routing' });

export const Route53Target = z
  .object({
    type: z.literal('route53'),
    hostedZoneId: z.string().regex(/^(\/hostedzone\/)?Z[A-Z0-9]{1,32}$/, 'a hosted zone id like Z0123456789ABCDEFGHIJ').meta({ description: 'Hosted zone ID.' }),
    recordName: z.string().min(1).max(1024).regex(/^[A-Za-z0-9*_.-]+\.?$/, 'a DNS name like api.example.com').meta({ description: 'Record name, for example api.example.com.' }),
    recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'PTR', 'SRV', 'SPF', 'NAPTR', 'CAA', 'DS', 'HTTPS', 'SVCB', 'TLSA', 'SSHFP']),
    stableSetIdentifier: text('SetIdentifier of the weighted record serving the current version.'),
    canarySetIdentifier: text('SetIdentifier of the weighted record serving the new version.'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.stableSetIdentifier === t.canarySetIdentifier) ctx.addIssue({ code: 'custom', path: ['canarySetIdentifier'], message: 'the canary record set must differ from the stable one' });
  })
  .meta({ title: 'Route 53 weighted records' });

export const EcsTarget = z
  .object({
    type: z.literal('ecs'),
    cluster: text('Cluster name or ARN.'),
    service: text('Service name or ARN.'),
    taskDefinition: text('New task definition: family:revision or ARN.'),
    native: z.boolean().optional().meta({ description: 'Use ECS native BLUE_GREEN / LINEAR / CANARY deployments.' }),
    canaryService: z.string().min(1).optional().meta({ description: 'Second service that runs the new version behind the canary target group.' }),
  })
  .strict()
  .meta({ title: 'ECS service' });

export const AsgTarget = z
  .object({
    type: z.literal('asg'),
    autoScalingGroupName: text('Auto Scaling group name.'),
    launchTemplateVersion: z.union([z.string().min(1), z.number().int().positive()]).meta({ description: 'Launch template version to roll out ($Latest and $Default allowed, but AutoRollback needs a number).' }),
    newGroupName: z.string().min(1).optional().meta({ description: 'Blue-green: the second group, behind the canary target group.' }),
    minHealthyPercentage: z.number().int().min(0).max(100).optional(),
    maxHealthyPercentage: z.number().int().min(100).max(200).optional(),
    instanceWarmup: Duration.optional(),
    skipMatching: z.boolean().optional(),
  })
  .strict()
  .meta({ title: 'EC2 Auto Scaling group' });

export const Target = z.discriminatedUnion('type', [AlbTarget, LambdaTarget, Route53Target, EcsTarget, AsgTarget]);

/** Steps in Argo Rollouts' vocabulary (setWeight, pause, analysis) plus ours. */
export const StepSpec = z.union([
  z.object({ setWeight: Percent }).strict(),
  z.object({ deployCapacity: Percent }).strict(),
  z.object({ bake: Duration }).strict(),
  z.object({ pause: z.union([Duration, z.object({ duration: Duration.optional() }).strict()]) }).strict().meta({ description: 'pause: 10m waits (promote ends it early); pause: {} waits for promote.' }),
  z.object({ approval: z.literal(true) }).strict(),
  z.object({ hook: z.string().min(1) }).strict(),
  z.object({ analysis: z.string().min(1) }).strict(),
  z.object({ retireOld: z.literal(true) }).strict(),
]);

export const HookSpec = z
  .union([
    z.object({ lambda: text('Function to invoke; it answers {"status":"Succeeded"|"Failed"}.'), timeout: Duration.optional() }).strict(),
    z.object({ http: z.url().meta({ description: 'URL to POST the deployment context to; 2xx passes.' }), timeout: Duration.optional(), headers: z.record(z.string(), z.string()).optional() }).strict(),
    z.object({ command: z.array(z.string()).min(1).meta({ description: 'argv; run without a shell unless shell: true.' }), shell: z.boolean().optional(), timeout: Duration.optional() }).strict(),
  ])
  .meta({ title: 'Lifecycle hook' });

const MetricStat = z.object({
  namespace: z.string().min(1),
  metricName: z.string().min(1),
  dimensions: z.record(z.string(), z.string()).optional(),
  stat: z.string().default('Sum'),
  period: Duration.optional(),
});

export const MetricQuerySpec = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/),
    metric: MetricStat.optional(),
    expression: z.string().optional(),
    returnData: z.boolean().optional(),
  })
  .strict();

export const MetricGateSpec = z
  .object({
    name: z.string().min(1),
    queries: z.array(MetricQuerySpec).min(1),
    /** The query id whose value is compared. */
    value: z.string().min(1),
    operator: z.enum(['<', '<=', '>', '>=']),
    threshold: z.number(),
    /** Query id whose sum must reach minSamples for the verdict to count (else inconclusive). */
    sampleCount: z.string().optional(),
    minSamples: z.number().int().nonnegative().optional(),
    window: Duration.optional(),
  })
  .strict()
  .meta({ title: 'Metric threshold gate' });

export const AnalysisSpec = z
  .object({
    /** Canary vs stable comparison (Mann-Whitney U), or a threshold check. */
    type: z.enum(['compare', 'threshold']).default('compare'),
    canary: MetricStat.optional(),
    baseline: MetricStat.optional(),
    direction: z.enum(['lower-is-better', 'higher-is-better']).default('lower-is-better'),
    tolerance: z.number().nonnegative().default(0.1),
    minScore: z.number().min(0).max(100).default(75),
    window: Duration.optional(),
    minSamples: z.number().int().nonnegative().default(10),
    gate: MetricGateSpec.optional(),
  })
  .strict();

export const GatesSpec = z
  .object({
    alarms: z.array(z.string().min(1)).optional(),
    alarmPrefix: z.string().min(1).max(255).optional(),
    poll: Duration.optional(),
    onInsufficientData: z.enum(['ignore', 'fail', 'pause']).optional(),
    gateErrorLimit: z.number().int().min(1).optional(),
    ignoreFiringAlarms: z.boolean().optional(),
    metrics: z.array(MetricGateSpec).optional(),
  })
  .strict();

export const NotificationsSpec = z
  .object({
    slackWebhook: z
      .union([z.url(), z.string().regex(/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/, 'a URL, or ${env:NAME} to read it from the environment')])
      .optional()
      .meta({ description: 'Slack-compatible incoming webhook; give it as ${env:NAME} to keep the URL out of the spec and the state store.' }),
    snsTopicArn: z.string().startsWith('arn:').optional(),
  })
  .strict();

export const AwsSpec = z
  .object({
    region: z.string().optional(),
    profile: z.string().optional(),
    endpointUrl: z.url().optional(),
    roleArn: z.string().startsWith('arn:').optional(),
  })
  .strict();

export const StrategyName = z.enum(['canary', 'linear', 'blueGreen', 'rolling', 'bigBang']);

export const DeploySpec = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional().meta({ description: 'A name for the deployment, shown in status and notifications.' }),
    strategy: StrategyName,
    preset: z.string().optional().meta({ description: 'A CodeDeploy predefined configuration name, for example CodeDeployDefault.LambdaCanary10Percent5Minutes.' }),
    steps: z.union([z.string(), z.array(z.union([Percent, StepSpec]))]).optional(),
    bake: Duration.optional(),
    stepPercent: Percent.optional(),
    interval: Duration.optional(),
    batch: z.union([z.string().regex(/^\d+(\.\d+)?%$|^\d+$/), z.number().int().positive()]).optional(),
    pause: Duration.optional(),
    approval: z.boolean().optional(),
    finalBake: Duration.optional(),
    targets: z.array(Target).min(1),
    gates: GatesSpec.optional(),
    hooks: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), HookSpec).optional(),
    analyses: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), AnalysisSpec).optional(),
    notifications: NotificationsSpec.optional(),
    aws: AwsSpec.optional(),
  })
  .strict()
  .meta({ title: 'deployctl deployment spec' });

export type DeploySpec = z.input<typeof DeploySpec>;
export type ParsedDeploySpec = z.output<typeof DeploySpec>;
export type TargetSpec = z.output<typeof Target>;
export type HookSpec = z.output<typeof HookSpec>;
export type AnalysisSpec = z.output<typeof AnalysisSpec>;
export type MetricGateSpec = z.output<typeof MetricGateSpec>;
export type GatesSpec = z.output<typeof GatesSpec>;
export type StepSpec = z.output<typeof StepSpec>;
