import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { elbWorld, expectAwsError, forward } from './fixture.js';

describe('ELBv2 listeners', () => {
  it('describes the seeded listener with normalized weighted forward actions', async () => {
    const { client, lb, tg, listener } = elbWorld();
    const out = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb().arn }));
    expect(out.Listeners).toEqual([
      {
        ListenerArn: listener().arn,
        LoadBalancerArn: lb().arn,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: tg('web-blue').arn, Weight: 100 },
                { TargetGroupArn: tg('web-green').arn, Weight: 0 },
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ],
      },
    ]);
    expect(listener().arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(listener().arn.startsWith(lb().arn.replace(':loadbalancer/', ':listener/') + '/')).toBe(true);
  });

  it('ModifyListener replaces the whole action list and keeps members it is not given; last writer wins', async () => {
    const { client, tg, listener } = elbWorld();
    const arn = listener().arn;
    await client.send(new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: forward([[tg('web-blue').arn, 90], [tg('web-green').arn, 10]]) }));
    await client.send(new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg('web-green').arn }] }));
    const [described] = (await client.send(new DescribeListenersCommand({ ListenerArns: [arn] }))).Listeners ?? [];
    expect(described).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    expect(described?.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: tg('web-green').arn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg('web-green').arn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } },
    ]);
    // The group nobody forwards to any more keeps no load balancer... except the /api rule still names blue.
    const groups = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg('web-blue').arn, tg('web-spare').arn] }));
    expect(groups.TargetGroups?.map((g) => g.LoadBalancerArns?.length)).toEqual([1, 0]);
  });

  it('ModifyListener with only a port keeps the actions; a port in use is DuplicateListener', async () => {
    const { client, lb, tg, listener } = elbWorld();
    await client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: 8080, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: tg('web-spare').arn }] }));
    await expectAwsError(client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, Port: 8080 })), 'DuplicateListenerException');
    const moved = await client.send(new ModifyListenerCommand({ ListenerArn: listener().arn, Port: 81 }));
    expect(moved.Listeners?.[0]).toMatchObject({ Port: 81 });
    expect(moved.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([100, 0]);
  });

  it('CreateListener is idempotent for the same settings and DuplicateListener for different ones', async () => {
    const { client, lb, tg, listener } = elbWorld();
    const same = forward([[tg('web-blue').arn, 100], [tg('web-green').arn, 0]]);
    const again = await client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: 80, Protocol: 'HTTP', DefaultActions: same }));
    expect(again.Listeners?.[0]?.ListenerArn).toBe(listener().arn);
    await expectAwsError(client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: 80, Protocol: 'HTTP', DefaultActions: forward([[tg('web-blue').arn, 1]]) })), 'DuplicateListenerException');
  });

  it('rejects unknown ARNs, protocols an ALB does not speak, and HTTPS without a certificate', async () => {
    const { client, lb, tg, listener } = elbWorld();
    const missingListener = listener().arn.replace(/[0-9a-f]{16}$/, '0000000000000000');
    await expectAwsError(client.send(new DescribeListenersCommand({ ListenerArns: [missingListener] })), 'ListenerNotFoundException');
    await expectAwsError(client.send(new ModifyListenerCommand({ ListenerArn: missingListener, Port: 90 })), 'ListenerNotFoundException');
    await expectAwsError(client.send(new DeleteListenerCommand({ ListenerArn: missingListener })), 'ListenerNotFoundException');
    await expectAwsError(client.send(new DescribeListenersCommand({ LoadBalancerArn: lb().arn.replace(/[0-9a-f]{16}$/, '0000000000000000') })), 'LoadBalancerNotFoundException');
    const actions: Action[] = [{ Type: 'forward', TargetGroupArn: tg('web-spare').arn }];
    await expectAwsError(client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: 9000, Protocol: 'TCP', DefaultActions: actions })), 'UnsupportedProtocolException');
    await expectAwsError(client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: 443, Protocol: 'HTTPS', DefaultActions: actions })), 'ValidationError', 400, /certificate/);
    await expectAwsError(client.send(new DescribeListenersCommand({})), 'ValidationError');
  });

  it('pages through listeners with Marker and PageSize', async () => {
    const { client, lb, tg } = elbWorld();
    for (const port of [81, 82, 83]) {
      await client.send(new CreateListenerCommand({ LoadBalancerArn: lb().arn, Port: port, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] }));
    }
    const first = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb().arn, PageSize: 3 }));
    expect(first.Listeners?.map((l) => l.Port)).toEqual([80, 81, 82]);
    const second = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb().arn, PageSize: 3, Marker: first.NextMarker }));
    expect(second.Listeners?.map((l) => l.Port)).toEqual([83]);
    expect(second.NextMarker).toBeUndefined();
    expect(tg('web-spare').inUse).toBe(false);
    await expectAwsError(client.send(new DescribeListenersCommand({ LoadBalancerArn: lb().arn, Marker: 'bogus' })), 'ValidationError');
  });

  it('DeleteListener removes its rules and releases its target groups', async () => {
    const { client, state, tg, listener } = elbWorld();
    const arn = listener().arn;
    await client.send(new DeleteListenerCommand({ ListenerArn: arn }));
    expect(Object.values(state().rules).filter((r) => r.listenerArn === arn)).toEqual([]);
    expect(tg('web-blue').inUse).toBe(false);
    const groups = await client.send(new DescribeTargetGroupsCommand({ Names: ['web-blue'] }));
    expect(groups.TargetGroups?.[0]?.LoadBalancerArns).toEqual([]);
  });
});
