import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RequestHandler } from '@smithy/types';
import type { Clock } from '../time/clock.js';
import { RateLimiter } from './rateLimit.js';
import { ClockRetryStrategy } from './retry.js';

export const USER_AGENT = 'deployctl/0.1.0';

export interface AwsClientOptions {
  readonly region?: string;
  readonly profile?: string;
  /** --endpoint-url; when absent the SDK reads AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) itself. */
  readonly endpointUrl?: string;
  /** --role-arn: assume this role in the workload account, with a session named after the deployment. */
  readonly roleArn?: string;
  readonly sessionName?: string;
  /** The simulated world's handler (or a test's); the real Node HTTP handler when absent. */
  readonly requestHandler?: RequestHandler<unknown, unknown>;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly clock: Clock;
  readonly rateLimiter?: RateLimiter;
}

/** The services deployctl talks to, keyed by our short names (also the rate-limit keys). */
export interface ClientTypes {
  elbv2: ElasticLoadBalancingV2Client;
  lambda: LambdaClient;
  route53: Route53Client;
  cloudwatch: CloudWatchClient;
  ecs: ECSClient;
  autoscaling: AutoScalingClient;
  dynamodb: DynamoDBClient;
  sns: SNSClient;
}
export type ServiceName = keyof ClientTypes;

type ClientConfig = Record<string, unknown>;
type Constructor<T> = new (config: ClientConfig) => T;

/** SDK packages load only when a command needs them, so `deployctl --help` and `plan` start fast. */
const loaders: { [K in ServiceName]: () => Promise<Constructor<ClientTypes[K]>> } = {
  elbv2: async () => (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client as unknown as Constructor<ElasticLoadBalancingV2Client>,
  lambda: async () => (await import('@aws-sdk/client-lambda')).LambdaClient as unknown as Constructor<LambdaClient>,
  route53: async () => (await import('@aws-sdk/client-route-53')).Route53Client as unknown as Constructor<Route53Client>,
  cloudwatch: async () => (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient as unknown as Constructor<CloudWatchClient>,
  ecs: async () => (await import('@aws-sdk/client-ecs')).ECSClient as unknown as Constructor<ECSClient>,
  autoscaling: async () => (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient as unknown as Constructor<AutoScalingClient>,
  dynamodb: async () => (await import('@aws-sdk/client-dynamodb')).DynamoDBClient as unknown as Constructor<DynamoDBClient>,
  sns: async () => (await import('@aws-sdk/client-sns')).SNSClient as unknown as Constructor<SNSClient>,
};

/** One factory for every client: region, credentials (profile, assumed role), endpoint, retries and rate limits. */
export class AwsClients {
  private readonly cache = new Map<ServiceName, Promise<unknown>>();
  private credentialsPromise: Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined> | undefined;
  readonly rateLimiter: RateLimiter;
  /** Calls made through these clients, per service and operation (for `plan`, the benchmarks and tests). */
  readonly calls = new Map<string, number>();

  constructor(readonly options: AwsClientOptions) {
    this.rateLimiter = options.rateLimiter ?? new RateLimiter(options.clock);
  }

  get<K extends ServiceName>(service: K): Promise<ClientTypes[K]> {
    let client = this.cache.get(service) as Promise<ClientTypes[K]> | undefined;
    if (!client) {
      client = this.create(service);
      this.cache.set(service, client);
    }
    return client;
  }

  /** Total calls per `service:Operation`. */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.calls.entries()].sort());
  }

  private async create<K extends ServiceName>(service: K): Promise<ClientTypes[K]> {
    const { region, endpointUrl, requestHandler, clock } = this.options;
    // Loading an SDK package is real I/O: tracked, so a simulated clock does not run ahead meanwhile.
    const Client = await clock.track(loaders[service]());
    const credentials = await clock.track(this.credentials());
    const client = new Client({
      ...(region ? { region } : {}),
      ...(endpointUrl ? { endpoint: endpointUrl } : {}),
      ...(requestHandler ? { requestHandler } : {}),
      ...(credentials ? { credentials } : {}),
      customUserAgent: USER_AGENT,
      retryStrategy: new ClockRetryStrategy(clock),
    });
    this.instrument(client as unknown as MiddlewareClient, service);
    return client;
  }

  /** Every attempt passes the rate limiter (inside the retry loop) and is counted. */
  private instrument(client: MiddlewareClient, service: ServiceName): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const key = `${service}:${operation}`;
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
        await this.rateLimiter.take(service, operation);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'deployctlRateLimit' },
    );
  }

  private credentials(): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined> {
    this.credentialsPromise ??= this.resolveCredentials();
    return this.credentialsPromise;
  }

  private async resolveCredentials(): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined> {
    const { credentials, profile, roleArn, sessionName, region } = this.options;
    if (credentials) return credentials;
    if (!profile && !roleArn) return undefined;
    const providers = await import('@aws-sdk/credential-providers');
    const base = profile ? providers.fromNodeProviderChain({ profile }) : providers.fromNodeProviderChain();
    if (!roleArn) return base;
    return providers.fromTemporaryCredentials({
      masterCredentials: base,
      params: { RoleArn: roleArn, RoleSessionName: roleSessionName(sessionName) },
      ...(region ? { clientConfig: { region } } : {}),
    });
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'low'; name: string },
    ): void;
  };
}

/** RoleSessionName allows [\w+=,.@-]{2,64}; the deployment id is made to fit. */
export function roleSessionName(name: string | undefined): string {
  const cleaned = (name ?? 'deployctl').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `deployctl-${cleaned}`;
}
