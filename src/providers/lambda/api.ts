import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { DeployError } from '../../errors.js';
import type { Clock } from '../../time/clock.js';
import { viewOf, type AliasView, type Routing } from './routing.js';
import { plainCopy } from '../../util/plainJson.js';
import { awsFailure } from '../../aws/failure.js';

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/** UpdateAlias with a RevisionId that is no longer the alias's: someone (or our own lost response) wrote first. */
export function isRevisionMismatch(error: unknown): boolean {
  return error instanceof Error && error.name === 'PreconditionFailedException';
}

/** What UpdateAlias is asked to set. Description is sent only by restore (a rollout never changes it). */
export interface AliasWrite extends Routing {
  readonly description?: string;
  /** The guard: Lambda refuses the write (412) unless the alias still has this RevisionId. */
  readonly revisionId: string | undefined;
  /** The RevisionId read just before this write: once the write is acknowledged, a read showing it is stale. */
  readonly replaces: string | undefined;
}

/** Waits before reading again while reads still show a RevisionId our own acknowledged write replaced. */
const STALE_READ_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

/** The four Lambda calls the provider makes, on one alias of one function. */
export class LambdaApi {
  constructor(
    private readonly client: LambdaClient,
    readonly functionName: string,
    readonly alias: string,
    readonly label: string,
  ) {}

  /** RevisionIds our acknowledged writes replaced: a read showing one of them lags behind our own write. */
  private readonly superseded = new Set<string>();

  failure(operation: string, error: unknown): Error {
    return awsFailure(operation, this.label, error);
  }

  /** GetAlias; the SDK error as is (preflight reports "not found" as a finding). */
  async readAliasRaw(signal: AbortSignal): Promise<AliasView> {
    const out = await this.client.send(new GetAliasCommand({ FunctionName: this.functionName, Name: this.alias }), { abortSignal: signal });
    return plainCopy(viewOf(out));
  }

  /**
   * GetAlias, read again (with backoff, about 16 s in all) while it shows a revision our own acknowledged write
   * replaced: acting on such a lagging read would take our write for lost and write again with a stale RevisionId.
   * After that the last read is returned and the caller decides on it as on any other.
   */
  async readAlias(ctx: { readonly signal: AbortSignal; readonly clock: Clock }): Promise<AliasView> {
    try {
      let live = await this.readAliasRaw(ctx.signal);
      for (const waitMs of STALE_READ_BACKOFF_MS) {
        if (live.revisionId === undefined || !this.superseded.has(live.revisionId)) break;
        await ctx.clock.sleep(waitMs, ctx.signal);
        live = await this.readAliasRaw(ctx.signal);
      }
      return live;
    } catch (error) {
      throw this.failure('GetAlias', error);
    }
  }

  /** GetFunctionConfiguration of one version (or $LATEST); the SDK error as is. */
  async versionRaw(qualifier: string, signal: AbortSignal): Promise<FunctionConfiguration> {
    return this.client.send(new GetFunctionConfigurationCommand({ FunctionName: this.functionName, Qualifier: qualifier }), { abortSignal: signal });
  }

  async version(qualifier: string, signal: AbortSignal): Promise<FunctionConfiguration> {
    try {
      return await this.versionRaw(qualifier, signal);
    } catch (error) {
      throw this.failure(`GetFunctionConfiguration (version ${qualifier})`, error);
    }
  }

  /** UpdateAlias, guarded by the RevisionId just read; the SDK error as is (callers tell 412 from others). */
  async writeAliasRaw(write: AliasWrite, signal: AbortSignal): Promise<AliasView> {
    const command = new UpdateAliasCommand({
      FunctionName: this.functionName,
      Name: this.alias,
      FunctionVersion: write.functionVersion,
      RoutingConfig: { AdditionalVersionWeights: { ...write.weights } },
      ...(write.description !== undefined ? { Description: write.description } : {}),
      ...(write.revisionId !== undefined ? { RevisionId: write.revisionId } : {}),
    });
    const written = plainCopy(viewOf(await this.client.send(command, { abortSignal: signal })));
    if (write.replaces !== undefined && write.replaces !== written.revisionId) this.superseded.add(write.replaces);
    return written;
  }

  /**
   * PublishVersion of $LATEST, guarded by the code preflight saw (a different CodeSha256 is refused). Lambda
   * returns the last version instead when nothing changed since it was published.
   */
  async publish(codeSha256: string | undefined, description: string, signal: AbortSignal): Promise<FunctionConfiguration> {
    try {
      const command = new PublishVersionCommand({ FunctionName: this.functionName, Description: description, ...(codeSha256 ? { CodeSha256: codeSha256 } : {}) });
      return await this.client.send(command, { abortSignal: signal });
    } catch (error) {
      if (error instanceof Error && error.name === 'InvalidParameterValueException' && /CodeSHA256/i.test(error.message)) {
        throw new DeployError('DRIFT', `${this.label}: the code of $LATEST changed since preflight checked it (CodeSha256 ${String(codeSha256)}); nothing was published`, { cause: error });
      }
      throw this.failure('PublishVersion', error);
    }
  }
}
