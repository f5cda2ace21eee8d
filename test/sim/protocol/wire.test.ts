import { gzipSync } from 'node:zlib';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { HttpRequest, HttpResponse } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createSimRequestHandler, decodeRequest, identifyService } from '../../../src/sim/protocol/index.js';
import type { SimCall } from '../../../src/sim/protocol/index.js';
import { onlyCall, recorder, simClientConfig, withoutMetadata } from './simClient.js';

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return { method: 'POST', protocol: 'https:', hostname: 'localhost', path: '/', headers: {}, ...overrides };
}

function bodyOf(response: HttpResponse): string {
  return new TextDecoder().decode(response.body as Uint8Array);
}

const signedFor = (region: string, service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDSIM/20260401/${region}/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});

describe('identifyService', () => {
  it.each([
    ['elasticloadbalancing.us-west-2.amazonaws.com', 'elbv2', 'query', 'us-west-2'],
    ['autoscaling.eu-west-1.amazonaws.com', 'autoscaling', 'query', 'eu-west-1'],
    ['ecs-fips.us-east-1.amazonaws.com', 'ecs', 'json', 'us-east-1'],
    ['lambda.ap-southeast-2.amazonaws.com', 'lambda', 'rest-json', 'ap-southeast-2'],
    ['route53.amazonaws.com', 'route53', 'rest-xml', 'us-east-1'],
    ['dynamodb.us-east-1.amazonaws.com', 'dynamodb', 'json', 'us-east-1'],
  ])('by hostname %s', (hostname, service, protocol, region) => {
    expect(identifyService(request({ hostname }))).toEqual({ service, protocol, region, matchedBy: 'hostname' });
  });

  it('tells CloudWatch JSON (X-Amz-Target) from CloudWatch awsQuery', () => {
    const json = request({ hostname: 'monitoring.us-east-1.amazonaws.com', headers: { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' } });
    const query = request({ hostname: 'monitoring.us-east-1.amazonaws.com', body: 'Action=DescribeAlarms&Version=2010-08-01' });
    expect(identifyService(json)).toMatchObject({ service: 'cloudwatch', protocol: 'json' });
    expect(identifyService(query)).toMatchObject({ service: 'cloudwatch', protocol: 'query' });
  });

  it('uses the SigV4 credential scope behind a custom endpoint', () => {
    expect(identifyService(request({ hostname: '127.0.0.1', port: 4566, headers: signedFor('eu-central-1', 'lambda'), path: '/2015-03-31/functions/f' }))).toEqual({
      service: 'lambda',
      protocol: 'rest-json',
      region: 'eu-central-1',
      matchedBy: 'credential-scope',
    });
  });

  it.each([
    [{ headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' } }, 'dynamodb'],
    [{ headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListServices' } }, 'ecs'],
    [{ body: 'Action=DescribeAlarms&Version=2010-08-01' }, 'cloudwatch'],
    [{ body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01' }, 'autoscaling'],
    [{ body: 'Action=DescribeRules&Version=2015-12-01' }, 'elbv2'],
    [{ method: 'GET', path: '/2013-04-01/change/C1' }, 'route53'],
    [{ method: 'GET', path: '/2015-03-31/functions/checkout' }, 'lambda'],
    [{ method: 'GET', path: '/2021-10-31/functions/checkout/url' }, 'lambda'],
  ] as const)('by protocol markers on an unsigned request to a custom endpoint (%o)', (overrides, service) => {
    expect(identifyService(request({ hostname: '127.0.0.1', ...overrides }))).toMatchObject({ service, matchedBy: 'protocol-marker' });
  });

  it('returns undefined for anything else, and the handler rejects such requests', async () => {
    const unknown = request({ hostname: 'sqs.us-east-1.amazonaws.com', body: 'Action=SendMessage&Version=2012-11-05' });
    expect(identifyService(unknown)).toBeUndefined();
    await expect(createSimRequestHandler({ dispatch: async () => ({}) }).handle(unknown)).rejects.toThrow(/no simulated AWS service matches/);
  });

  it('lets real clients use a custom endpoint such as http://127.0.0.1:4566', async () => {
    const world = recorder(() => ({ services: [], failures: [] }));
    const client = new ECSClient({ ...simClientConfig(world.dispatch), endpoint: 'http://127.0.0.1:4566', region: 'eu-north-1' });

    await client.send(new DescribeServicesCommand({ services: ['web'] }));

    expect(onlyCall(world)).toMatchObject({ service: 'ecs', operation: 'DescribeServices', region: 'eu-north-1' });
  });
});

describe('decodeRequest', () => {
  it('drops and reports members the model does not know', () => {
    const query = decodeRequest(
      request({ hostname: 'elasticloadbalancing.us-east-1.amazonaws.com', body: 'Action=DescribeListeners&Version=2015-12-01&ListenerArns.member.1=a&Colour=blue&ListenerArns.extra=1' }),
    );
    expect(query).toMatchObject({ operation: 'DescribeListeners', input: { ListenerArns: ['a'] }, unknownMembers: ['ListenerArns.extra', 'Colour'] });

    const json = decodeRequest(
      request({
        hostname: 'ecs.us-east-1.amazonaws.com',
        headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices' },
        body: JSON.stringify({ services: ['web'], colour: 'blue', include: ['TAGS'], extra: null }),
      }),
    );
    expect(json).toMatchObject({ input: { services: ['web'], include: ['TAGS'] }, unknownMembers: ['colour', 'extra'] });
  });

  it('hands unknown members to the world with the call', async () => {
    const world = recorder(() => ({ Listeners: [] }));
    const handler = createSimRequestHandler({ dispatch: world.dispatch });

    await handler.handle(request({ hostname: 'elasticloadbalancing.us-east-1.amazonaws.com', body: 'Action=DescribeListeners&Version=2015-12-01&Bogus=1' }));

    expect(onlyCall(world).unknownMembers).toEqual(['Bogus']);
  });

  it('reads gzip-compressed bodies (the SDK compresses large PutMetricData requests)', () => {
    const body = gzipSync(JSON.stringify({ Namespace: 'deployctl', MetricData: [{ MetricName: 'step', Value: 3 }] }));
    const decoded = decodeRequest(
      request({
        hostname: 'monitoring.us-east-1.amazonaws.com',
        headers: { 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'content-encoding': 'gzip' },
        body: new Uint8Array(body),
      }),
    );
    expect(decoded.input).toEqual({ Namespace: 'deployctl', MetricData: [{ MetricName: 'step', Value: 3 }] });
  });
});

describe('requests that never reach the world', () => {
  const world = recorder();
  const handler = createSimRequestHandler({ dispatch: world.dispatch, requestId: () => 'req-1' });

  it('awsQuery: an unknown Action is InvalidAction', async () => {
    const { response } = await handler.handle(request({ hostname: 'autoscaling.us-east-1.amazonaws.com', body: 'Action=LaunchRocket&Version=2011-01-01' }));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toBe(
      '<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>InvalidAction</Code>' +
        '<Message>Could not find operation LaunchRocket for version 2011-01-01</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it('awsJson: an unknown X-Amz-Target is UnknownOperationException', async () => {
    const { response } = await handler.handle(
      request({ hostname: 'dynamodb.us-east-1.amazonaws.com', headers: { 'x-amz-target': 'DynamoDB_20120810.LaunchRocket' }, body: '{}' }),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(bodyOf(response))).toEqual({ __type: 'UnknownOperationException', message: 'Unknown operation DynamoDB_20120810.LaunchRocket' });
  });

  it('REST: a path no operation owns is a 404', async () => {
    const { response } = await handler.handle(request({ method: 'GET', hostname: 'lambda.us-east-1.amazonaws.com', path: '/2015-03-31/rockets' }));
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  it('JSON that does not parse, or has the wrong types, is a SerializationException', async () => {
    const ecs = (body: string) =>
      request({ hostname: 'ecs.us-east-1.amazonaws.com', headers: { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices' }, body });

    const broken = (await handler.handle(ecs('{"services": ['))).response;
    const mistyped = (await handler.handle(ecs('{"services": "web"}'))).response;

    expect(JSON.parse(bodyOf(broken))).toMatchObject({ __type: 'SerializationException' });
    expect(JSON.parse(bodyOf(mistyped))).toEqual({ __type: 'SerializationException', message: "Expected a list at 'services'" });
  });

  it('a query value of the wrong type is the service validation error', async () => {
    const { response } = await handler.handle(request({ hostname: 'elasticloadbalancing.us-east-1.amazonaws.com', body: 'Action=DescribeListeners&Version=2015-12-01&PageSize=ten' }));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toContain("<Code>ValidationError</Code><Message>Value 'ten' at 'PageSize' cannot be converted to Integer</Message>");
  });

  it('none of them were dispatched', () => {
    expect(world.calls).toEqual([]);
  });
});

describe('output the model does not know', () => {
  it('is dropped from the response and reported', async () => {
    const reported: Array<[SimCall, readonly string[]]> = [];
    const client = new ElasticLoadBalancingV2Client(
      simClientConfig(async () => ({ Listeners: [{ ListenerArn: 'arn:l', Colour: 'blue' }], Extra: 1 }), {
        onUnknownOutputMembers: (call, paths) => reported.push([call, paths]),
      }),
    );

    const output = await client.send(new DescribeListenersCommand({}));

    expect(output.Listeners).toEqual([{ ListenerArn: 'arn:l' }]);
    expect(reported.map(([call, paths]) => [call.operation, paths])).toEqual([['DescribeListeners', ['Extra', 'Listeners[0].Colour']]]);
  });
});

describe('text that needs escaping survives both directions', () => {
  const tricky = `/api?a=1&b=<2> "quoted" 'single' ünïcødé 😀`;

  it('in awsQuery form bodies and XML results', async () => {
    const rules = { Rules: [{ RuleArn: 'arn:rule', Conditions: [{ Field: 'path-pattern', Values: [tricky] }], Actions: [] }] };
    const world = recorder(() => rules);
    const client = new ElasticLoadBalancingV2Client(simClientConfig(world.dispatch));

    const output = await client.send(new DescribeRulesCommand({ RuleArns: [tricky] }));

    expect(onlyCall(world).input).toEqual({ RuleArns: [tricky] });
    expect(withoutMetadata(output)).toEqual(rules);
  });

  it('in restXml bodies', async () => {
    const world = recorder(() => ({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date(0), Comment: tricky } }));
    const client = new Route53Client(simClientConfig(world.dispatch));
    const txt = { Name: 'example.com.', Type: 'TXT' as const, TTL: 300, ResourceRecords: [{ Value: '"v=spf1 include:_spf.example.com ~all"' }] };

    const output = await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'Z1', ChangeBatch: { Comment: tricky, Changes: [{ Action: 'CREATE', ResourceRecordSet: txt }] } }));

    expect(onlyCall(world).input).toEqual({ HostedZoneId: 'Z1', ChangeBatch: { Comment: tricky, Changes: [{ Action: 'CREATE', ResourceRecordSet: txt }] } });
    expect(output.ChangeInfo?.Comment).toBe(tricky);
  });
});
