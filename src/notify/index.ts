import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsClients } from '../aws/clients.js';
import type { DeployEvent } from '../engine/events.js';
import { messageOf } from '../errors.js';
import type { Clock } from '../time/clock.js';
import { notificationFor, type DeploymentInfo, type Notification } from './messages.js';
import { describeWebhook, postWebhook, resolveWebhook, type FetchLike } from './webhook.js';

export type { Notification } from './messages.js';
export type { FetchLike } from './webhook.js';

/** The part of a spec (parsed, or read back from the state store) the notifier needs. */
export interface NotifySpec {
  readonly name?: string;
  readonly notifications?: { readonly slackWebhook?: string; readonly snsTopicArn?: string };
}

export interface NotifierDeps {
  /** The deployment's client factory: SNS comes from it (region, credentials, retries on the deployment's clock). */
  readonly clients: Pick<AwsClients, 'get'>;
  /** Sends are tracked as real work, so a virtual clock does not run ahead of them. */
  readonly clock: Pick<Clock, 'track'>;
  /** The webhook's HTTP client; global fetch by default. */
  readonly fetch?: FetchLike;
  /** Where `${env:NAME}` is looked up; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** How a failed notification is reported (the IoHost's warn); process.emitWarning by default. */
  readonly warn?: (message: string) => void;
  /** Per message and channel; 5 s by default. */
  readonly timeoutMs?: number;
}

/** Called with every event of the deployment; never throws, never waits. `flush()` resolves once all is sent. */
export type Notifier = ((event: DeployEvent) => void) & {
  /** Waits for every notification queued so far (call before the process exits). Never rejects. */
  flush(): Promise<void>;
  /** The channels in use, safe to print: `slack https://hooks.slack.com/…`, `sns <topic ARN>`. */
  readonly channels: readonly string[];
};

interface Channel {
  readonly name: string;
  send(notification: Notification): Promise<void>;
  failures: number;
  off: boolean;
}

/** After this many failures in a row a channel is switched off for the rest of the deployment. */
export const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * Tells people about a deployment: a Slack-compatible webhook message (`{ text, blocks }`) and an SNS message on
 * start, each step, a wait for approval, rollback and finish. A failed notification is a warning, never a failure
 * of the deployment; the webhook URL (a secret: its path is the credential) is never printed. Messages are sent
 * one at a time, in the order of the events.
 */
export function createNotifier(spec: NotifySpec, deps: NotifierDeps): Notifier {
  const warn = deps.warn ?? ((message: string) => process.emitWarning(message, 'DeployctlNotificationWarning'));
  const timeoutMs = deps.timeoutMs ?? 5000;
  const problems: string[] = [];
  const channels: Channel[] = [];
  const settings = spec.notifications ?? {};
  if (settings.slackWebhook) {
    const target = resolveWebhook(settings.slackWebhook, deps.env ?? process.env);
    if (target.ok) {
      const fetchImpl = deps.fetch ?? (globalThis.fetch as unknown as FetchLike);
      channels.push(channel(`slack ${describeWebhook(target.url)}`, (n) => postWebhook(target.url, { text: n.text, blocks: n.blocks }, fetchImpl, timeoutMs)));
    } else {
      problems.push(`${target.problem}: Slack notifications are off`);
    }
  }
  if (settings.snsTopicArn) {
    const topic = settings.snsTopicArn;
    channels.push(channel(`sns ${topic}`, (n) => publish(deps.clients, topic, n, timeoutMs)));
  }

  const info: DeploymentInfo = { ...(spec.name ? { name: spec.name } : {}), targets: [], stepCount: 0 };
  let queue: Promise<void> = Promise.resolve();
  const notify = (event: DeployEvent): void => {
    for (const problem of problems.splice(0)) warn(problem);
    if (channels.length === 0) return;
    let notification: Notification | undefined;
    try {
      notification = notificationFor(event, info);
    } catch (error) {
      warn(`notification for ${event.type} not sent: ${messageOf(error)}`);
      return;
    }
    if (!notification) return;
    const message = notification;
    queue = queue.then(() => deps.clock.track(Promise.all(channels.map((c) => deliver(c, message, warn))).then(() => undefined)));
  };
  return Object.assign(notify, { flush: () => queue, channels: channels.map((c) => c.name) });
}

function channel(name: string, send: (n: Notification) => Promise<void>): Channel {
  return { name, send, failures: 0, off: false };
}

async function deliver(channel: Channel, notification: Notification, warn: (message: string) => void): Promise<void> {
  if (channel.off) return;
  try {
    await channel.send(notification);
    channel.failures = 0;
  } catch (error) {
    channel.failures++;
    const off = channel.failures >= MAX_CONSECUTIVE_FAILURES;
    channel.off = off;
    warn(`notification (${notification.event}) to ${channel.name} failed: ${messageOf(error)}${off ? ` — ${channel.failures} failures in a row, no more notifications to it for this deployment` : ''}`);
  }
}

async function publish(clients: Pick<AwsClients, 'get'>, topicArn: string, n: Notification, timeoutMs: number): Promise<void> {
  const sns = await clients.get('sns');
  const attributes: Record<string, { DataType: string; StringValue: string }> = {
    event: { DataType: 'String', StringValue: n.event },
    deploymentId: { DataType: 'String', StringValue: String(n.detail.deploymentId) },
    ...(n.outcome ? { outcome: { DataType: 'String', StringValue: n.outcome } } : {}),
  };
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: n.subject, Message: JSON.stringify(n.detail), MessageAttributes: attributes }), { abortSignal: AbortSignal.timeout(timeoutMs) });
}
