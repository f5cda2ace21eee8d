import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ChangeInfo,
  type HostedZone,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
  type Route53Client,
  type RRType,
} from '@aws-sdk/client-route-53';
import { DeployError } from '../../errors.js';
import { plainCopy } from '../../util/plainJson.js';
import { awsFailure } from '../../aws/failure.js';

export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The four Route 53 calls the provider makes, on one name and type of one hosted zone. */
export class Route53Api {
  constructor(
    private readonly client: Route53Client,
    readonly zoneId: string,
    readonly name: string,
    readonly type: string,
    readonly label: string,
  ) {}

  failure(operation: string, error: unknown): Error {
    return awsFailure(operation, this.label, error);
  }

  /** GetHostedZone; the SDK error as is (preflight reports NoSuchHostedZone as a finding). */
  async zoneRaw(signal: AbortSignal): Promise<HostedZone | undefined> {
    const out = await this.client.send(new GetHostedZoneCommand({ Id: this.zoneId }), { abortSignal: signal });
    return out.HostedZone;
  }

  /**
   * Every record set with the name (and the type, when given), from ListResourceRecordSets started at them,
   * following pages until the records move past them. The SDK error as is.
   */
  async namedRaw(signal: AbortSignal, type?: string): Promise<ResourceRecordSet[]> {
    const found: ResourceRecordSet[] = [];
    let input: ListResourceRecordSetsCommandInput = { HostedZoneId: this.zoneId, StartRecordName: this.name, ...(type ? { StartRecordType: type as RRType } : {}) };
    for (;;) {
      const out = await this.client.send(new ListResourceRecordSetsCommand(input), { abortSignal: signal });
      const page = plainCopy(out.ResourceRecordSets ?? []);
      const matching = page.filter((r) => r.Name === this.name && (type === undefined || r.Type === type));
      found.push(...matching);
      // The next page starts at NextRecordName/Type: once that is past our name (and type), there is no more of it.
      const pastUs = out.NextRecordName !== this.name || (type !== undefined && out.NextRecordType !== type);
      if (!out.IsTruncated || pastUs) return found;
      input = { HostedZoneId: this.zoneId, StartRecordName: out.NextRecordName, StartRecordType: out.NextRecordType, ...(out.NextRecordIdentifier ? { StartRecordIdentifier: out.NextRecordIdentifier } : {}) };
    }
  }

  /** The record sets of the name and type: the weighted group the rollout shifts. */
  async readGroup(signal: AbortSignal): Promise<ResourceRecordSet[]> {
    try {
      return await this.namedRaw(signal, this.type);
    } catch (error) {
      throw this.failure('ListResourceRecordSets', error);
    }
  }

  /** One ChangeResourceRecordSets batch (all or nothing); the SDK error as is (callers tell InvalidChangeBatch apart). */
  async changeRaw(changes: readonly Change[], comment: string, signal: AbortSignal): Promise<ChangeInfo> {
    const command = new ChangeResourceRecordSetsCommand({ HostedZoneId: this.zoneId, ChangeBatch: { Comment: comment.slice(0, 256), Changes: structuredClone([...changes]) } });
    const out = await this.client.send(command, { abortSignal: signal });
    if (!out.ChangeInfo?.Id) throw new DeployError('AWS_ERROR', `${this.label}: ChangeResourceRecordSets answered without a change id`);
    return out.ChangeInfo;
  }

  async changeStatus(id: string, signal: AbortSignal): Promise<string | undefined> {
    const out = await this.client.send(new GetChangeCommand({ Id: id }), { abortSignal: signal });
    return out.ChangeInfo?.Status;
  }
}
