import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CapturedRule } from './snapshot.js';
import { plainCopy } from '../../util/plainJson.js';
import { loadBalancerArnOf } from './target.js';
import { writable } from './actions.js';
import { awsFailure } from '../../aws/failure.js';

/** The listener's default actions or the rule's actions, as ELB returns them now (JSON, no `undefined`). */
export interface LiveTarget {
  readonly actions: Action[];
  readonly loadBalancerArn: string | undefined;
  /** Listener only: the protocol (HTTP/HTTPS on an ALB) and port, for messages. */
  readonly protocol?: string;
  readonly port?: number;
  readonly rule?: CapturedRule;
}

export interface Where {
  readonly resource: 'listener' | 'rule';
  readonly arn: string;
}

/** ELB errors that mean "the thing you named does not exist": preflight reports them instead of throwing. */
const NOT_FOUND = new Set(['ListenerNotFound', 'RuleNotFound', 'TargetGroupNotFound', 'LoadBalancerNotFound'].flatMap((code) => [code, `${code}Exception`]));

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND.has(error.name);
}

export class AlbApi {
  constructor(
    private readonly client: ElasticLoadBalancingV2Client,
    readonly label: string,
  ) {}

  failure(operation: string, error: unknown): Error {
    return awsFailure(operation, this.label, error);
  }

  /** Reads the live actions; throws the SDK error as is (callers decide whether "not found" is a finding). */
  async readRaw(where: Where, signal: AbortSignal): Promise<LiveTarget> {
    if (where.resource === 'listener') {
      const out = await this.client.send(new DescribeListenersCommand({ ListenerArns: [where.arn] }), { abortSignal: signal });
      const listener = out.Listeners?.find((l) => l.ListenerArn === where.arn) ?? out.Listeners?.[0];
      if (!listener) throw notFound('ListenerNotFound', `listener ${where.arn} not found`);
      return { actions: plainCopy(listener.DefaultActions ?? []), loadBalancerArn: listener.LoadBalancerArn, protocol: listener.Protocol, port: listener.Port };
    }
    const out = await this.client.send(new DescribeRulesCommand({ RuleArns: [where.arn] }), { abortSignal: signal });
    const rule = out.Rules?.find((r) => r.RuleArn === where.arn) ?? out.Rules?.[0];
    if (!rule) throw notFound('RuleNotFound', `rule ${where.arn} not found`);
    const captured = plainCopy({ Priority: rule.Priority, IsDefault: rule.IsDefault, Conditions: rule.Conditions, Transforms: rule.Transforms }) as CapturedRule;
    return { actions: plainCopy(rule.Actions ?? []), loadBalancerArn: loadBalancerArnOf(where.arn), rule: captured };
  }

  async read(where: Where, signal: AbortSignal): Promise<LiveTarget> {
    try {
      return await this.readRaw(where, signal);
    } catch (error) {
      throw awsFailure(where.resource === 'listener' ? 'DescribeListeners' : 'DescribeRules', this.label, error);
    }
  }

  /** Writes the whole action list (ELB replaces lists whole); a rule's conditions are never sent, so they stay. */
  async write(where: Where, actions: readonly Action[], signal: AbortSignal): Promise<void> {
    const wire = writable(actions);
    try {
      if (where.resource === 'listener') await this.client.send(new ModifyListenerCommand({ ListenerArn: where.arn, DefaultActions: wire }), { abortSignal: signal });
      else await this.client.send(new ModifyRuleCommand({ RuleArn: where.arn, Actions: wire }), { abortSignal: signal });
    } catch (error) {
      throw awsFailure(where.resource === 'listener' ? 'ModifyListener' : 'ModifyRule', this.label, error);
    }
  }

  /** The named groups that exist; a missing one is simply absent (DescribeTargetGroups fails the whole call then). */
  async targetGroups(arns: readonly string[], signal: AbortSignal): Promise<TargetGroup[]> {
    try {
      const out = await this.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...arns] }), { abortSignal: signal });
      return out.TargetGroups ?? [];
    } catch (error) {
      if (!isNotFound(error) || arns.length === 1) {
        if (isNotFound(error)) return [];
        throw awsFailure('DescribeTargetGroups', this.label, error);
      }
    }
    // Rare path: ask one by one to name the group that is missing.
    const found = await Promise.all(arns.map((arn) => this.targetGroups([arn], signal)));
    return found.flat();
  }

  async targetHealth(groupArn: string, signal: AbortSignal): Promise<TargetHealthDescription[]> {
    try {
      const out = await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }), { abortSignal: signal });
      return out.TargetHealthDescriptions ?? [];
    } catch (error) {
      throw awsFailure('DescribeTargetHealth', this.label, error);
    }
  }
}

function notFound(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
