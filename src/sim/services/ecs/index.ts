import type { SimService } from '../../types.js';
import { createCluster, describeClusters } from './clusters.js';
import { describeServiceDeployments, describeServices, describeTasks, listServiceDeployments, listTasks } from './describe.js';
import { drift } from './drift.js';
import { route } from './route.js';
import { advance, nextEventAt } from './scheduler.js';
import { seed } from './seed.js';
import { createService, deleteService, updateService } from './services.js';
import { initialEcsState, type EcsState } from './state.js';
import { stopServiceDeployment } from './stop.js';
import { deregisterTaskDefinition, describeTaskDefinition, listTaskDefinitions, registerTaskDefinition } from './taskDefinitions.js';

/**
 * The simulated Amazon ECS (awsJson1_1): clusters, task definitions, services whose deployments progress over
 * time (rolling replacement within minimumHealthyPercent/maximumPercent, circuit breaker, deployment alarms,
 * rollbacks), tasks registered into ELB target groups, and the service deployments API.
 */
export const ecsService: SimService<EcsState> = {
  name: 'ecs',
  initialState: initialEcsState,
  operations: {
    CreateCluster: createCluster,
    DescribeClusters: describeClusters,
    RegisterTaskDefinition: registerTaskDefinition,
    DescribeTaskDefinition: describeTaskDefinition,
    DeregisterTaskDefinition: deregisterTaskDefinition,
    ListTaskDefinitions: listTaskDefinitions,
    CreateService: createService,
    UpdateService: updateService,
    DescribeServices: describeServices,
    DeleteService: deleteService,
    ListTasks: listTasks,
    DescribeTasks: describeTasks,
    ListServiceDeployments: listServiceDeployments,
    DescribeServiceDeployments: describeServiceDeployments,
    StopServiceDeployment: stopServiceDeployment,
  },
  nextEventAt,
  advance,
  route,
  drift,
  seed,
};

export type { EcsState };
