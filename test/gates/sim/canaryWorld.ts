/** A simulated load balancer with a blue (stable) and a green (canary) target group, and CloudWatch alarms on them. */
import { ListMetricsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RequestHandler } from '@smithy/types';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsClients } from '../../../src/aws/clients.js';
import { parseFault } from '../../../src/sim/faults.js';
import { cloudwatchService } from '../../../src/sim/services/cloudwatch/index.js';
import { elbv2Service } from '../../../src/sim/services/elbv2/index.js';
import type { WorldSeed } from '../../../src/sim/seed.js';
import type { AppVersion } from '../../../src/sim/types.js';
import { VirtualClock } from '../../../src/time/clock.js';
import { clientConfig, simWorld, T0 } from '../../sim/simFixture.js';

export const MINUTE = 60_000;

export interface CanaryWorldOptions {
  /** How the new version behaves (default: like the old one). */
  readonly green?: Partial<AppVersion>;
  /** Percent of the listener's traffic on the green group. */
  readonly canaryPercent?: number;
  readonly faults?: readonly string[];
  /** CloudWatch ingestion delay: datapoints appear this long after their period ends (real ELB metrics lag 1-2 min). */
  readonly metricDelaySeconds?: number;
  /** When the world starts (ms): the traffic model's noise differs from one start time to another. */
  readonly startAt?: number;
}

const TG = (name: string) => `\${tg:${name}.dimension}`;
const LB = '${lb:web.dimension}';

export function canaryWorldSeed(options: CanaryWorldOptions = {}): WorldSeed {
  const canary = options.canaryPercent ?? 10;
  const fiveXx = (name: string, group: string) => ({
    name,
    namespace: 'AWS/ApplicationELB',
    metric: 'HTTPCode_Target_5XX_Count',
    dimensions: { TargetGroup: TG(group), LoadBalancer: LB },
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 2,
    threshold: 10,
    comparison: '>=',
    treatMissingData: 'notBreaching',
  });
  return {
    ...(options.metricDelaySeconds === undefined ? {} : { metrics: { delaySeconds: options.metricDelaySeconds } }),
    versions: { v1: { errorRate: 0.001, latencyMs: 60 }, v2: { errorRate: 0.001, latencyMs: 60, ...options.green } },
    elbv2: {
      loadBalancers: [
        {
          name: 'web',
          targetGroups: [
            { name: 'web-blue', targets: { count: 3, version: 'v1' } },
            { name: 'web-green', targets: { count: 3, version: 'v2' } },
          ],
          listeners: [{ port: 80, forward: { 'web-blue': 100 - canary, 'web-green': canary } }],
        },
      ],
    },
    traffic: [{ service: 'elbv2', resource: '${listener:web:80.arn}', rps: 100 }],
    cloudwatch: {
      alarms: [fiveXx('green-5xx', 'web-green'), fiveXx('blue-5xx', 'web-blue')],
      compositeAlarms: [{ name: 'web-health', rule: 'ALARM(green-5xx) OR ALARM(blue-5xx)' }],
    },
  } as WorldSeed;
}

/** The world on a virtual clock, and a CloudWatch client built the way deployctl builds it (clock retries, rate limits). */
export async function canaryWorld(options: CanaryWorldOptions = {}) {
  const { world, clock } = simWorld([elbv2Service, cloudwatchService], canaryWorldSeed(options), new VirtualClock(options.startAt ?? T0));
  for (const fault of options.faults ?? []) world.addFault(parseFault(fault));
  const aws = new AwsClients({ clock, region: world.state.region, requestHandler: world.requestHandler() as unknown as RequestHandler<unknown, unknown>, credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' } });
  const client: CloudWatchClient = await aws.get('cloudwatch');
  // Called outside clock.run: the SDK's first call loads modules (real I/O the virtual clock cannot see), and
  // these calls need no simulated time anyway.
  const dims = await dimensionsOf(new ElasticLoadBalancingV2Client(clientConfig(world)));
  await client.send(new ListMetricsCommand({ Namespace: 'warm-up' }));
  return { world, clock, aws, client, dims };
}

export interface WorldNames {
  /** CloudWatch dimension values (the ARN after its last ':', or after ':loadbalancer/'). */
  readonly lb: string;
  readonly blue: string;
  readonly green: string;
  readonly arns: { readonly listener: string; readonly blue: string; readonly green: string };
}

async function dimensionsOf(elbv2: ElasticLoadBalancingV2Client): Promise<WorldNames> {
  const suffix = (arn: string | undefined, marker: string) => arn!.slice(arn!.lastIndexOf(marker) + marker.length);
  const lbs = await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['web'] }));
  const groups = await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['web-blue', 'web-green'] }));
  const listeners = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbs.LoadBalancers?.[0]?.LoadBalancerArn }));
  const arn = (name: string) => groups.TargetGroups!.find((g) => g.TargetGroupName === name)!.TargetGroupArn!;
  return {
    lb: suffix(lbs.LoadBalancers?.[0]?.LoadBalancerArn, ':loadbalancer/'),
    blue: suffix(arn('web-blue'), ':'),
    green: suffix(arn('web-green'), ':'),
    arns: { listener: listeners.Listeners![0]!.ListenerArn!, blue: arn('web-blue'), green: arn('web-green') },
  };
}

/** Lets simulated time pass (the world evaluates alarms and accumulates metrics on the way). */
export async function after(clock: { run<T>(work: Promise<T>): Promise<T>; sleep(ms: number): Promise<void> }, ms: number): Promise<void> {
  await clock.run(clock.sleep(ms));
}
