import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { expect, it } from 'vitest';
import { ecsService } from '../../src/sim/services/ecs/index.js';
import { expectConformance, motoSide, ok, runBoth, simSide, type Deviation, type TokenRule, type Transcript } from './conformance.js';
import { describeWithMoto, motoDefaultSecurityGroup, motoSubnets } from './motoServer.js';

/** Deployment ids (ecs-svc/<digits>) and service deployment ARN suffixes. */
const TOKENS: readonly TokenRule[] = [
  { kind: 'subnet', pattern: /subnet-[0-9a-f]+/g },
  { kind: 'sg', pattern: /sg-[0-9a-f]+/g },
  { kind: 'deployment', pattern: /ecs-svc\/\d+/g },
  { kind: 'arnid', pattern: /(?<=:service-deployment\/deployctl\/checkout\/)[A-Za-z0-9_-]+/g },
];

/**
 * Every difference between moto and the sim; docs/moto.md explains each (same ids). moto does not progress
 * deployments, so only the operations are compared (the sim's ECS is still being written: differences on its side
 * are reported, not fixed here).
 */
const DEVIATIONS: readonly Deviation[] = [
  { id: 'ecs-update-deployments', at: /^(UpdateService v2|DescribeServices after update|DescribeServices missing service) services?(\[0\])?\.(deployments|currentServiceDeployment|currentServiceRevisions)/ },
  { id: 'ecs-service-members', at: /^(CreateService|UpdateService v2|DescribeServices[\w ]*) services?(\[0\])?\.(deploymentConfiguration|createdAt|platformVersion|platformFamily|placementConstraints|placementStrategy|enableECSManagedTags|enableExecuteCommand|currentServiceDeployment|currentServiceRevisions|taskSets|tags|deployments\[\d\]\.(platformVersion|platformFamily))/ },
  { id: 'ecs-service-events', at: /services?(\[0\])?\.events/ },
  { id: 'ecs-pending-count', at: /^(CreateService|UpdateService v2) services?(\[0\])?\.(pendingCount|deployments\[0\]\.pendingCount)$/ },
  { id: 'ecs-task-definition-members', at: /^(RegisterTaskDefinition v\d|DescribeTaskDefinition family) (tags|taskDefinition\.(registeredAt|requiresAttributes|containerDefinitions\[0\]\.(cpu|environment|mountPoints|volumesFrom)))$/ },
  { id: 'ecs-cluster-members', at: /^CreateCluster cluster\.(settings|statistics|tags|capacityProviders|defaultCapacityProviderStrategy)/ },
  { id: 'ecs-missing-arn', at: /^DescribeServices missing service failures\[0\]\.arn$/ },
];

function taskDefinition(image: string) {
  return new RegisterTaskDefinitionCommand({
    family: 'checkout',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] }],
  });
}

/** The calls the ECS capacity provider makes: RegisterTaskDefinition, UpdateService, DescribeServices (also of a missing service). */
async function scenario(t: Transcript, network: { subnets: readonly string[]; securityGroup: string }): Promise<void> {
  const c = new ECSClient(t.side.config);
  await t.call('CreateCluster', () => c.send(new CreateClusterCommand({ clusterName: 'deployctl' })));
  const v1 = (await t.call('RegisterTaskDefinition v1', () => c.send(taskDefinition('registry.example.com/checkout:1')))).taskDefinition!.taskDefinitionArn!;
  const v2 = (await t.call('RegisterTaskDefinition v2', () => c.send(taskDefinition('registry.example.com/checkout:2')))).taskDefinition!.taskDefinitionArn!;
  await t.call('DescribeTaskDefinition family', () => c.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'checkout' })));
  await t.call('CreateService', () =>
    c.send(
      new CreateServiceCommand({
        cluster: 'deployctl',
        serviceName: 'checkout',
        taskDefinition: v1,
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [...network.subnets], securityGroups: [network.securityGroup], assignPublicIp: 'DISABLED' } },
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    ),
  );
  await t.call('DescribeServices', () => c.send(new DescribeServicesCommand({ cluster: 'deployctl', services: ['checkout'] })));
  await t.call('UpdateService v2', () => c.send(new UpdateServiceCommand({ cluster: 'deployctl', service: 'checkout', taskDefinition: v2 })));
  await t.call('DescribeServices after update', () => c.send(new DescribeServicesCommand({ cluster: 'deployctl', services: ['checkout'] })));
  await t.call('DescribeServices missing service', () => c.send(new DescribeServicesCommand({ cluster: 'deployctl', services: ['checkout', 'missing'] })));
  await t.attempt('DescribeServices unknown cluster', () => c.send(new DescribeServicesCommand({ cluster: 'nope', services: ['checkout'] })));
  await t.attempt('UpdateService unknown service', () => c.send(new UpdateServiceCommand({ cluster: 'deployctl', service: 'missing', taskDefinition: v2 })));
  await t.attempt('UpdateService unknown task definition', () => c.send(new UpdateServiceCommand({ cluster: 'deployctl', service: 'checkout', taskDefinition: 'checkout:99' })));
}

describeWithMoto('ECS conformance: moto and the simulated world answer the ECS capacity calls alike (operations, not dynamics)', (moto) => {
  it('task definitions, services and updates, a missing service, and the modeled errors', async () => {
    const motoNetwork = { subnets: await motoSubnets(moto()), securityGroup: await motoDefaultSecurityGroup(moto()) };
    const simNetwork = { subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], securityGroup: 'sg-0ccccccccccccccc3' };
    const { moto: m, sim: s } = await runBoth(motoSide(moto()), simSide([ecsService]), (t) => scenario(t, t.side.name === 'moto' ? motoNetwork : simNetwork));

    expectConformance(m, s, DEVIATIONS, { tokens: TOKENS });

    for (const t of [m, s]) {
      const updated = ok<{ services: Service[] }>(t.answerOf('DescribeServices after update')).services[0]!;
      expect(updated.taskDefinition).toMatch(/:task-definition\/checkout:2$/);
      expect(ok(t.answerOf('DescribeServices missing service'))).toMatchObject({ failures: [{ arn: expect.stringMatching(/:service\/(deployctl\/)?missing$/), reason: 'MISSING' }] });
      expect(t.answerOf('DescribeServices unknown cluster')).toEqual({ error: 'ClusterNotFoundException', status: 400 });
      expect(t.answerOf('UpdateService unknown service')).toEqual({ error: 'ServiceNotFoundException', status: 400 });
    }
    // AWS: UpdateService with a new task definition starts a new PRIMARY deployment and the old one becomes ACTIVE
    // (the sim); moto keeps the old deployment as the only PRIMARY (docs/moto.md, ecs-update-deployments).
    const deployments = (t: typeof m) => ok<{ services: Service[] }>(t.answerOf('DescribeServices after update')).services[0]!.deployments!.map((d) => [d.status, d.taskDefinition?.replace(/.*\//, '')]);
    expect(deployments(s)).toEqual([['PRIMARY', 'checkout:2'], ['ACTIVE', 'checkout:1']]);
    expect(deployments(m)).toEqual([['PRIMARY', 'checkout:1']]);
  });
});
