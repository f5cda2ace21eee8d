import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecFile } from '../../src/config/loadSpec.js';
import { parseSpec } from '../../src/config/resolve.js';
import type { DeploySpec } from '../../src/config/schema.js';
import type { DeployEvent } from '../../src/engine/events.js';
import { createNotifier, MAX_CONSECUTIVE_FAILURES, type NotifierDeps, type NotifySpec } from '../../src/notify/index.js';
import { deploy } from '../../src/sdk.js';
import { FileStore } from '../../src/state/fileStore.js';
import { VirtualClock } from '../../src/time/clock.js';
import { copyWorld, EXAMPLES } from '../examples/exampleWorld.js';

/**
 * The notifier as the CLI and the SDK will wire it (createNotifier(spec, …) called with every event): real
 * deployments of the Lambda example on its simulated world, a local HTTP server standing in for Slack, and SNS
 * mocked with aws-sdk-client-mock (the simulated world has no SNS).
 */

const SECRET_PATH = '/services/T0000/B0000/xoxsecretXYZ';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:deploys';

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: { text: string; blocks?: { type: string; text?: { text: string } }[] };
}

let server: Server;
let base = '';
const received: Received[] = [];
/** What the server answers: a status code, after a delay in ms. */
let answer: (index: number) => { status: number; delayMs?: number } = () => ({ status: 200 });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => {
      const index = received.length;
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(data) as Received['body'] });
      const { status, delayMs } = answer(index);
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `invalid_token ${req.url ?? ''}`), delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sns = mockClient(SNSClient);
afterEach(() => {
  received.length = 0;
  answer = () => ({ status: 200 });
  sns.reset();
});

function clients(): NotifierDeps['clients'] {
  return { get: (async () => new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } })) as NotifierDeps['clients']['get'] };
}

/** Runs the Lambda example (healthy or broken) on a copy of its world, notifying as the wiring will. */
async function runExample(spec: 'deploy' | 'broken', notifications: NotifySpec['notifications'], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deployctl-notify-'));
  const loaded = loadSpecFile(join(EXAMPLES, 'lambda-linear', `${spec}.yaml`));
  const warnings: string[] = [];
  const events: DeployEvent[] = [];
  const options = { ...(loaded.value as DeploySpec), ...(notifications ? { notifications } : {}) } as DeploySpec;
  const notifier = createNotifier({ name: options.name ?? '', notifications: notifications ?? {} }, { clients: clients(), clock: new VirtualClock(0), env, warn: (w) => warnings.push(w) });
  const result = await deploy(options, {
    store: new FileStore(join(dir, 'state')),
    sim: { file: copyWorld('lambda', dir), virtualTime: true },
    id: `d-notify-${spec}`,
    onEvent: (event) => {
      events.push(event);
      notifier(event);
    },
  });
  await notifier.flush();
  return { result, warnings, events, notifier };
}

const published = (): PublishCommandInput[] => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('notifications from a real deployment', () => {
  it('a healthy rollout: the webhook and the SNS topic hear of the start, every step and the finish, in order', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { result, warnings, events, notifier } = await runExample('deploy', { slackWebhook: `${base}${SECRET_PATH}`, snsTopicArn: TOPIC });
    expect(result.outcome).toBe('succeeded');
    expect(warnings).toEqual([]);
    expect(notifier.channels).toEqual([`slack ${base}/…`, `sns ${TOPIC}`]);

    const steps = events.filter((e) => e.type === 'step.started').length;
    expect(steps).toBe(10); // preTraffic hook, then 20/40/60/80/100 with a wait between
    expect(received).toHaveLength(steps + 2);
    expect(received.every((r) => r.path === SECRET_PATH && r.contentType === 'application/json')).toBe(true);
    const texts = received.map((r) => r.body.text);
    expect(texts[0]).toBe('deployctl checkout-linear (d-notify-deploy) started: linear on lambda alias checkout:live (to version 2) (10 steps)');
    expect(texts[1]).toBe('deployctl checkout-linear (d-notify-deploy) step 1/10: run hook preTraffic');
    expect(texts[2]).toBe('deployctl checkout-linear (d-notify-deploy) step 2/10: shift 20% of traffic to the new version');
    expect(texts.at(-1)).toMatch(/^:white_check_mark: deployctl checkout-linear \(d-notify-deploy\) succeeded after 8m\d\ds, 100% on the new version$/);
    for (const r of received) expect(r.body.blocks?.[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: r.body.text } });

    const messages = published();
    expect(messages.map((m) => m.MessageAttributes?.event?.StringValue)).toEqual(['deployment.started', ...Array<string>(steps).fill('step.started'), 'deployment.finished']);
    for (const m of messages) {
      expect(m.TopicArn).toBe(TOPIC);
      expect(m.Subject!.length).toBeLessThanOrEqual(100);
      expect(m.Subject).toMatch(/^[\x20-\x7e]+$/);
      expect(JSON.parse(m.Message!)).toMatchObject({ deploymentId: 'd-notify-deploy', name: 'checkout-linear' });
    }
    expect(messages.at(-1)).toMatchObject({ Subject: 'deployctl checkout-linear (d-notify-deploy): succeeded', MessageAttributes: { outcome: { DataType: 'String', StringValue: 'succeeded' } } });
    expect(JSON.parse(messages.at(-1)!.Message!)).toMatchObject({ event: 'deployment.finished', outcome: 'succeeded', finalWeight: 100 });
  });

  it('a rollback: people hear which alarm fired at which step, that the rollback finished, and the outcome', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { result, warnings } = await runExample('broken', { slackWebhook: `${base}${SECRET_PATH}`, snsTopicArn: TOPIC });
    expect(result.outcome).toBe('rolledBack');
    expect(warnings).toEqual([]);
    const texts = received.map((r) => r.body.text);
    const rolling = texts.find((t) => t.includes('ROLLING BACK'));
    expect(rolling).toMatch(/^:warning: deployctl checkout-linear-broken \(d-notify-broken\) is ROLLING BACK at step \d+: gate fired: metric alarm checkout-live-error-rate is in ALARM/);
    expect(texts.at(-2)).toBe('deployctl checkout-linear-broken (d-notify-broken): rollback finished: every target is back to its original configuration');
    expect(texts.at(-1)).toMatch(/^:leftwards_arrow_with_hook: deployctl checkout-linear-broken \(d-notify-broken\) rolled back after (\d+m)?\d+s, 0% on the new version: gate fired/);
    const events = published().map((m) => m.MessageAttributes?.event?.StringValue);
    expect(events.slice(-3)).toEqual(['rollback.started', 'rollback.finished', 'deployment.finished']);
    expect(JSON.parse(published().find((m) => m.MessageAttributes?.event?.StringValue === 'rollback.started')!.Message!)).toMatchObject({ failure: { kind: 'gate' } });
  });

  it('a webhook answering 500 costs warnings, never the deployment, and is left alone after 3 failures; the URL is never printed', async () => {
    answer = () => ({ status: 500 });
    const { result, warnings } = await runExample('deploy', { slackWebhook: `${base}${SECRET_PATH}` });
    expect(result.outcome).toBe('succeeded');
    expect(received).toHaveLength(MAX_CONSECUTIVE_FAILURES);
    expect(warnings).toHaveLength(MAX_CONSECUTIVE_FAILURES);
    expect(warnings[0]).toBe(`notification (deployment.started) to slack ${base}/… failed: HTTP 500: invalid_token /…`);
    expect(warnings.at(-1)).toContain('3 failures in a row, no more notifications to it for this deployment');
    for (const w of warnings) expect(w).not.toContain('xoxsecret');
  });

  it('an unreachable webhook: a warning naming the host only, and the deployment goes on', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { result, warnings } = await runExample('deploy', { slackWebhook: `http://127.0.0.1:${port}${SECRET_PATH}` });
    expect(result.outcome).toBe('succeeded');
    expect(warnings[0]).toMatch(new RegExp(`^notification \\(deployment.started\\) to slack http://127.0.0.1:${port}/… failed: fetch failed \\(ECONNREFUSED\\)$`));
    for (const w of warnings) expect(w).not.toContain('xoxsecret');
  });

  it('SNS refusing (the topic is gone) is a warning; Slack still gets every message', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    const { result, warnings } = await runExample('deploy', { slackWebhook: `${base}${SECRET_PATH}`, snsTopicArn: TOPIC });
    expect(result.outcome).toBe('succeeded');
    expect(received.length).toBe(12);
    expect(warnings).toHaveLength(MAX_CONSECUTIVE_FAILURES);
    expect(warnings[0]).toBe(`notification (deployment.started) to sns ${TOPIC} failed: NotFoundException: Topic does not exist`);
  });
});

describe('the webhook setting', () => {
  const started: DeployEvent = { type: 'deployment.started', deploymentId: 'd-1', at: 0, plan: { strategy: 'canary', steps: [{ type: 'setWeight', weight: 100 }] }, targets: ['lambda alias checkout:live'] };
  const deps = (warnings: string[], env: NodeJS.ProcessEnv): NotifierDeps => ({ clients: clients(), clock: new VirtualClock(0), env, warn: (w) => warnings.push(w) });

  it('${env:NAME} is read from the environment', async () => {
    const warnings: string[] = [];
    const notifier = createNotifier({ notifications: { slackWebhook: '${env:SLACK_WEBHOOK_URL}' } }, deps(warnings, { SLACK_WEBHOOK_URL: `${base}${SECRET_PATH}` }));
    notifier(started);
    await notifier.flush();
    expect(warnings).toEqual([]);
    expect(received.map((r) => r.path)).toEqual([SECRET_PATH]);
  });

  it('${env:NAME} not set: one warning, nothing posted', async () => {
    const warnings: string[] = [];
    const notifier = createNotifier({ notifications: { slackWebhook: '${env:SLACK_WEBHOOK_URL}' } }, deps(warnings, {}));
    notifier(started);
    notifier(started);
    await notifier.flush();
    expect(received).toEqual([]);
    expect(warnings).toEqual(['notifications.slackWebhook refers to ${env:SLACK_WEBHOOK_URL}, which is not set in the environment: Slack notifications are off']);
  });

  it('a literal URL the state store masked (a resumed deployment) cannot be used, and says how to keep it', async () => {
    const warnings: string[] = [];
    const notifier = createNotifier({ notifications: { slackWebhook: 'https://hooks.slack.com/***' } }, deps(warnings, {}));
    notifier(started);
    await notifier.flush();
    expect(received).toEqual([]);
    expect(warnings[0]).toContain('give it as ${env:NAME} to keep notifications after a resume');
  });

  it('no notifications in the spec: nothing is sent and nothing is said', async () => {
    const warnings: string[] = [];
    const notifier = createNotifier({}, deps(warnings, {}));
    notifier(started);
    await notifier.flush();
    expect(notifier.channels).toEqual([]);
    expect(received).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a slow webhook does not reorder messages: each waits for the one before', async () => {
    answer = (index) => ({ status: 200, delayMs: index === 0 ? 150 : 0 });
    const warnings: string[] = [];
    const notifier = createNotifier({ notifications: { slackWebhook: `${base}${SECRET_PATH}` } }, deps(warnings, {}));
    notifier(started);
    notifier({ type: 'step.started', deploymentId: 'd-1', at: 1000, index: 0, step: { type: 'setWeight', weight: 100 } });
    notifier({ type: 'deployment.finished', deploymentId: 'd-1', at: 2000, outcome: 'succeeded', finalWeight: 100 });
    await notifier.flush();
    expect(received.map((r) => r.body.text)).toEqual([
      'deployctl d-1 started: canary on lambda alias checkout:live (1 steps)',
      'deployctl d-1 step 1/1: shift 100% of traffic to the new version',
      ':white_check_mark: deployctl d-1 succeeded after 2s, 100% on the new version',
    ]);
  });

  it('a webhook that does not answer within the timeout: a warning, and the next message is tried', async () => {
    answer = (index) => ({ status: 200, delayMs: index === 0 ? 1000 : 0 });
    const warnings: string[] = [];
    const notifier = createNotifier({ notifications: { slackWebhook: `${base}${SECRET_PATH}` } }, { ...deps(warnings, {}), timeoutMs: 100 });
    notifier(started);
    notifier({ type: 'deployment.finished', deploymentId: 'd-1', at: 2000, outcome: 'succeeded', finalWeight: 100 });
    await notifier.flush();
    expect(warnings).toEqual([`notification (deployment.started) to slack ${base}/… failed: no answer within 0.1s`]);
    expect(received).toHaveLength(2);
  });

  // The webhook is a secret: a spec keeps it out of the file (and the state store) as ${env:NAME}.
  it('a spec may give the webhook as ${env:NAME}', () => {
    expect(() => parseSpec({ strategy: 'canary', targets: [{ type: 'lambda', functionName: 'checkout', alias: 'live', toVersion: 2 }], notifications: { slackWebhook: '${env:SLACK_WEBHOOK_URL}' } })).not.toThrow();
  });
});
