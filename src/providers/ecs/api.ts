import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DeployError } from '../../errors.js';
import { awsFailure } from '../../aws/failure.js';

/** What deployctl ever writes to a service: nothing else is sent, so every other setting stays as it is. */
export interface ServiceUpdate {
  readonly taskDefinition?: string;
  readonly desiredCount?: number;
  readonly deploymentConfiguration?: DeploymentConfiguration;
}

/** The few ECS calls the provider makes, each with the caller's abort signal. */
export class EcsApi {
  constructor(
    private readonly client: ECSClient,
    readonly cluster: string,
    readonly label: string,
  ) {}

  /** Services by name or ARN; a missing one is absent from `services` (ECS reports it as a MISSING failure). */
  async describeServices(names: readonly string[], signal: AbortSignal): Promise<{ services: Service[]; missing: string[] }> {
    try {
      const out = await this.client.send(new DescribeServicesCommand({ cluster: this.cluster, services: [...names] }), { abortSignal: signal });
      const services = out.services ?? [];
      const missing = names.filter((n) => !services.some((s) => matches(s, n)));
      return { services, missing };
    } catch (error) {
      throw awsFailure('DescribeServices', this.label, error);
    }
  }

  /** One service; a missing or deleted one is someone else's change (the service was there at capture). */
  async service(name: string, signal: AbortSignal): Promise<Service> {
    const found = (await this.describeServices([name], signal)).services.find((s) => matches(s, name));
    if (!found) throw new DeployError('DRIFT', `${this.label}: service ${name} no longer exists in cluster ${this.cluster}`);
    return found;
  }

  /** Several services in one call (DescribeServices takes up to 10), in the order asked; missing ones are DRIFT. */
  async servicesInOrder(names: readonly string[], signal: AbortSignal): Promise<Service[]> {
    const { services, missing } = await this.describeServices(names, signal);
    if (missing.length > 0) throw new DeployError('DRIFT', `${this.label}: service ${missing.join(', ')} no longer exists in cluster ${this.cluster}`);
    return names.map((name) => services.find((s) => matches(s, name))!);
  }

  /** Undefined when ECS does not know it (ClientException "Unable to describe task definition"). */
  async taskDefinition(taskDefinition: string, signal: AbortSignal): Promise<TaskDefinition | undefined> {
    try {
      const out = await this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal });
      return out.taskDefinition;
    } catch (error) {
      if (error instanceof Error && error.name === 'ClientException') return undefined;
      throw awsFailure('DescribeTaskDefinition', this.label, error);
    }
  }

  async update(service: string, update: ServiceUpdate, signal: AbortSignal): Promise<Service | undefined> {
    try {
      const out = await this.client.send(new UpdateServiceCommand({ cluster: this.cluster, service, ...update }), { abortSignal: signal });
      return out.service;
    } catch (error) {
      throw awsFailure('UpdateService', this.label, error);
    }
  }

  /** Returns false when the deployment had already finished (ConflictException): nothing left to stop. */
  async stopWithRollback(serviceDeploymentArn: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }), { abortSignal: signal });
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConflictException') return false;
      throw awsFailure('StopServiceDeployment', this.label, error);
    }
  }

  async serviceDeployment(arn: string, signal: AbortSignal): Promise<ServiceDeployment | undefined> {
    try {
      const out = await this.client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal: signal });
      return out.serviceDeployments?.[0];
    } catch (error) {
      throw awsFailure('DescribeServiceDeployments', this.label, error);
    }
  }
}

export function matches(service: Service, nameOrArn: string): boolean {
  return service.serviceName === nameOrArn || service.serviceArn === nameOrArn || (nameOrArn.startsWith('arn:') && service.serviceName === nameOrArn.split('/').pop());
}
