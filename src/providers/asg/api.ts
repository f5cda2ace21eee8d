import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type Activity,
  type AutoScalingClient,
  type AutoScalingGroup,
  type InstanceRefresh,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { DeployError, messageOf } from '../../errors.js';
import { isAbortError } from '../../time/clock.js';
import type { RefreshRequest } from './request.js';

/** Statuses in which a refresh blocks another one (InstanceRefreshInProgress). */
export const ACTIVE_STATUSES: readonly string[] = ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'];

export function isActive(refresh: InstanceRefresh): boolean {
  return ACTIVE_STATUSES.includes(refresh.Status ?? '');
}

/** An AWS failure of one call: the operation and AWS's error code are kept for the callers that branch on them. */
export class AsgCallError extends DeployError {
  constructor(
    readonly operation: string,
    readonly awsCode: string,
    label: string,
    cause: unknown,
  ) {
    super('AWS_ERROR', `${label}: ${operation} failed: ${messageOf(cause)}`, { cause });
    // Shown as a DeployError (messageOf prints no class name for it); the class is for instanceof checks.
    this.name = 'DeployError';
  }
}

/** `InstanceRefreshInProgressFault` (SDK class) and `InstanceRefreshInProgress` (wire code) are the same error. */
export function awsCodeOf(error: unknown): string {
  if (error instanceof AsgCallError) return error.awsCode;
  const name = error instanceof Error ? error.name : '';
  return name.replace(/Fault$/, '');
}

/** The few Auto Scaling calls the provider makes, each with the caller's abort signal. */
export class AsgApi {
  constructor(
    private readonly client: AutoScalingClient,
    readonly label: string,
  ) {}

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new AsgCallError(operation, awsCodeOf(error), this.label, error);
    }
  }

  /** The named groups that exist, by name (one call for both groups of a blue-green). */
  async groups(names: readonly string[], signal: AbortSignal): Promise<Map<string, AutoScalingGroup>> {
    const out = await this.call('DescribeAutoScalingGroups', () => this.client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names] }), { abortSignal: signal }));
    return new Map((out.AutoScalingGroups ?? []).map((g) => [g.AutoScalingGroupName ?? '', g]));
  }

  async group(name: string, signal: AbortSignal): Promise<AutoScalingGroup | undefined> {
    return (await this.groups([name], signal)).get(name);
  }

  /** Newest first (AWS sorts by creation time, descending). */
  async refreshes(group: string, signal: AbortSignal, ids?: readonly string[]): Promise<InstanceRefresh[]> {
    const input = { AutoScalingGroupName: group, ...(ids ? { InstanceRefreshIds: [...ids] } : { MaxRecords: 10 }) };
    const out = await this.call('DescribeInstanceRefreshes', () => this.client.send(new DescribeInstanceRefreshesCommand(input), { abortSignal: signal }));
    return out.InstanceRefreshes ?? [];
  }

  async start(request: RefreshRequest, signal: AbortSignal): Promise<string> {
    const out = await this.call('StartInstanceRefresh', () => this.client.send(new StartInstanceRefreshCommand(structuredClone(request)), { abortSignal: signal }));
    return out.InstanceRefreshId ?? '';
  }

  async rollback(group: string, signal: AbortSignal): Promise<void> {
    await this.call('RollbackInstanceRefresh', () => this.client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: group }), { abortSignal: signal }));
  }

  async cancel(group: string, signal: AbortSignal): Promise<void> {
    await this.call('CancelInstanceRefresh', () => this.client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: group }), { abortSignal: signal }));
  }

  async update(input: UpdateAutoScalingGroupCommandInput, signal: AbortSignal): Promise<void> {
    await this.call('UpdateAutoScalingGroup', () => this.client.send(new UpdateAutoScalingGroupCommand(input), { abortSignal: signal }));
  }

  /** The newest page of the group's scaling activities (newest first). */
  async activities(group: string, signal: AbortSignal): Promise<Activity[]> {
    const out = await this.call('DescribeScalingActivities', () => this.client.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 100 }), { abortSignal: signal }));
    return out.Activities ?? [];
  }
}
