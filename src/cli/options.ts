import type { Command } from 'commander';

/** Repeatable flags (--alarm a --alarm b) collect into a list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Flags every command that talks to AWS (or the simulated world) accepts. */
export function awsFlags(command: Command): Command {
  return command
    .option('--region <region>', 'AWS Region (default: the SDK default chain, AWS_REGION)')
    .option('--profile <name>', 'shared config/credentials profile')
    .option('--endpoint-url <url>', 'send AWS calls to this endpoint (also AWS_ENDPOINT_URL), e.g. moto or LocalStack')
    .option('--role-arn <arn>', 'assume this role in the workload account (session named after the deployment)')
    .option('--sim <world.yaml>', 'run against a simulated world file instead of AWS (its state is saved back to the file)')
    .option('--sim-time', 'with --sim: run in simulated time (a two-hour canary finishes in well under a second)')
    .option('--fault <spec>', 'with --sim: inject a fault (repeatable; see docs/worlds.md#faults)', collect, [])
    .option('--state-dir <dir>', 'file state store directory', '.deployctl')
    .option('--state-table <name>', 'DynamoDB state store table (see deployctl init-state-table)');
}

/** Target flags: one group per kind of target; a command may combine an ECS service or group with an ALB. */
export function targetFlags(command: Command): Command {
  return command
    .option('--listener-arn <arn>', 'ALB: listener whose default action is shifted')
    .option('--rule-arn <arn>', 'ALB: listener rule whose forward action is shifted')
    .option('--stable-tg <arn>', 'ALB: target group serving the current version')
    .option('--canary-tg <arn>', 'ALB: target group serving the new version')
    .option('--target-groups <a,b>', 'ALB: two target groups; deployctl shifts from the one serving today to the other')
    .option('--function <name>', 'Lambda: function name or ARN')
    .option('--alias <name>', 'Lambda: alias whose routing is shifted')
    .option('--to-version <n>', 'Lambda: published version to shift to')
    .option('--publish', 'Lambda: publish the current code as a new version first')
    .option('--hosted-zone-id <id>', 'Route 53: hosted zone')
    .option('--record-name <name>', 'Route 53: record name')
    .option('--record-type <type>', 'Route 53: record type (A, AAAA, CNAME, ...)')
    .option('--stable-set <id>', 'Route 53: SetIdentifier of the weighted record serving the current version')
    .option('--canary-set <id>', 'Route 53: SetIdentifier of the weighted record serving the new version')
    .option('--cluster <name>', 'ECS: cluster')
    .option('--service <name>', 'ECS: service')
    .option('--task-definition <family:rev|arn>', 'ECS: new task definition')
    .option('--ecs-native', 'ECS: use ECS native BLUE_GREEN / LINEAR / CANARY deployments')
    .option('--canary-service <name>', 'ECS: second service running the new version behind the canary target group')
    .option('--asg <name>', 'Auto Scaling: group')
    .option('--launch-template-version <n>', 'Auto Scaling: launch template version to roll out')
    .option('--new-asg <name>', 'Auto Scaling blue-green: the second group, behind the canary target group')
    .option('--min-healthy <percent>', 'Auto Scaling: MinHealthyPercentage of the instance refresh')
    .option('--max-healthy <percent>', 'Auto Scaling: MaxHealthyPercentage of the instance refresh')
    .option('--instance-warmup <duration>', 'Auto Scaling: InstanceWarmup of the instance refresh')
    .option('--skip-matching', 'Auto Scaling: skip instances already on the new version');
}

/** Gate, hook and run flags shared by every rollout command. */
export function runFlags(command: Command): Command {
  return command
    .option('--alarm <name>', 'CloudWatch alarm that rolls back when it fires (repeatable)', collect, [])
    .option('--alarm-prefix <prefix>', 'every CloudWatch alarm whose name starts with this')
    .option('--poll <duration>', 'gate poll interval', undefined)
    .option('--on-insufficient-data <policy>', 'ignore | fail | pause (default ignore)')
    .option('--gate-error-limit <n>', 'consecutive failed gate reads before failing closed and rolling back (default 4)')
    .option('--ignore-firing-alarms', 'start even though an alarm is already in ALARM')
    .option('--hook <name=kind:target>', 'lifecycle hook, e.g. preTraffic=cmd:./smoke.sh, smoke=http:https://..., postTraffic=lambda:fn (repeatable)', collect, [])
    .option('--approval', 'wait for `deployctl promote` before the final shift to 100%')
    .option('--final-bake <duration>', 'soak at 100% before finishing')
    .option('--preset <name>', 'a CodeDeploy predefined configuration, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes')
    .option('--no-wait', 'run until the next approval and exit 6 (paused) instead of waiting')
    .option('--id <id>', 'deployment id (default: generated)')
    .option('--name <name>', 'a name for the deployment');
}

/** Strategy-specific flags. */
export const STRATEGY_FLAGS: Record<string, (c: Command) => Command> = {
  canary: (c) => c.option('--steps <list>', 'weights, e.g. 1,5,25,100 (100 implied); may mix approval, pause:10m, bake:5m, hook:<name>, analysis:<name>').option('--bake <duration>', 'bake after each weight below 100'),
  linear: (c) => c.option('--step-percent <percent>', 'percent added at each step').option('--interval <duration>', 'wait between steps (default 1m)'),
  'blue-green': (c) => c.option('--bake <duration>', 'soak after the switch, before the old side is retired'),
  rolling: (c) => c.option('--batch <size>', 'batch size: 25% or a count like 2 (default 25%)').option('--pause <duration>', 'pause between batches (gates watch)'),
  'big-bang': (c) => c.option('--bake <duration>', 'soak after everything moved (still gated)'),
};
