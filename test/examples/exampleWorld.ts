import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeTargetGroupsCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEnvironment, type Environment } from '../../src/environment.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = join(ROOT, 'examples');

/** A private copy of an example world (commands run with --sim rewrite the file they are given). */
export function copyWorld(world: string, dir = mkdtempSync(join(tmpdir(), 'deployctl-example-'))): string {
  const file = join(dir, `${world}.yaml`);
  copyFileSync(join(EXAMPLES, 'worlds', `${world}.yaml`), file);
  return file;
}

/** Opens a (saved) world file, runs `read` with its real SDK clients, and saves it back. */
export async function readWorld<T>(file: string, read: (env: Environment) => Promise<T>): Promise<T> {
  const env = await openEnvironment({ sim: { file, virtualTime: true } });
  try {
    return await read(env);
  } finally {
    env.close();
  }
}

/** What each example's target looks like through the AWS API: the facts a rollback must restore exactly. */
export type LiveState = Record<string, unknown>;

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0c0943090b094176/6378dadd6278d94a';

/** Forward weights of the web listener's default action, by target group name. */
export async function listenerWeights(env: Environment): Promise<Record<string, number>> {
  const elb = await env.clients.get('elbv2');
  const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [LISTENER] }))).Listeners![0]!;
  return weightsByName(listener.DefaultActions ?? []);
}

function weightsByName(actions: readonly Action[]): Record<string, number> {
  const forward = actions.find((a) => a.Type === 'forward');
  const weights: Record<string, number> = {};
  for (const group of forward?.ForwardConfig?.TargetGroups ?? []) weights[group.TargetGroupArn!.split('/')[1]!] = group.Weight ?? 0;
  return weights;
}

export async function albState(env: Environment): Promise<LiveState> {
  const elb = await env.clients.get('elbv2');
  const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [LISTENER] }))).Listeners![0]!;
  return { defaultActions: listener.DefaultActions, weights: weightsByName(listener.DefaultActions ?? []) };
}

export async function lambdaState(env: Environment): Promise<LiveState> {
  const lambda = await env.clients.get('lambda');
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'checkout', Name: 'live' }));
  return { functionVersion: alias.FunctionVersion, routing: alias.RoutingConfig?.AdditionalVersionWeights ?? {}, description: alias.Description };
}

export async function route53State(env: Environment): Promise<LiveState> {
  const route53 = await env.clients.get('route53');
  const sets = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z6135729A6235742D5F35', StartRecordName: 'api.example.com', StartRecordType: 'CNAME' }))).ResourceRecordSets ?? [];
  const records = sets.filter((r) => r.Name === 'api.example.com.' && r.Type === 'CNAME');
  return { records, weights: Object.fromEntries(records.map((r) => [r.SetIdentifier, r.Weight])) };
}

export async function ecsState(env: Environment): Promise<LiveState> {
  const ecs = await env.clients.get('ecs');
  const revision = (arn: string | undefined) => arn?.split('/').pop();
  const services: Record<string, unknown> = {};
  for (const service of (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'web-canary'] }))).services ?? []) {
    const taskArns = (await ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: service.serviceName, desiredStatus: 'RUNNING' }))).taskArns ?? [];
    const tasks = taskArns.length > 0 ? ((await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns }))).tasks ?? []) : [];
    services[service.serviceName!] = {
      taskDefinition: revision(service.taskDefinition),
      desiredCount: service.desiredCount,
      running: tasks.map((t) => revision(t.taskDefinitionArn)).sort(),
      targetGroups: service.loadBalancers?.map((lb) => lb.targetGroupArn?.split('/')[1]),
    };
  }
  return { services, weights: await listenerWeights(env) };
}

export async function asgState(env: Environment): Promise<LiveState> {
  const autoscaling = await env.clients.get('autoscaling');
  const group = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web-asg'] }))).AutoScalingGroups![0]!;
  const elb = await env.clients.get('elbv2');
  const groups = (await elb.send(new DescribeTargetGroupsCommand({ Names: ['web-tg'] }))).TargetGroups ?? [];
  return {
    launchTemplate: { name: group.LaunchTemplate?.LaunchTemplateName, version: group.LaunchTemplate?.Version },
    capacity: { min: group.MinSize, max: group.MaxSize, desired: group.DesiredCapacity },
    instanceVersions: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').map((i) => i.LaunchTemplate?.Version).sort(),
    targetGroups: group.TargetGroupARNs,
    targetGroupExists: groups.length === 1,
  };
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
