/** Shared set-up for the wire-layer tests: real SDK clients wired to a recording dispatch. */
import { createSimRequestHandler } from '../../../src/sim/protocol/index.js';
import type { SimCall, SimRequestHandlerOptions } from '../../../src/sim/protocol/index.js';

export interface Recorder {
  readonly calls: SimCall[];
  readonly dispatch: (call: SimCall) => Promise<unknown>;
}

/** Records every call that reaches the world and answers with `reply`. */
export function recorder(reply: (call: SimCall) => unknown = () => ({})): Recorder {
  const calls: SimCall[] = [];
  return {
    calls,
    dispatch: async (call) => {
      calls.push(call);
      return reply(call);
    },
  };
}

export function simClientConfig(dispatch: SimRequestHandlerOptions['dispatch'], extra: Partial<SimRequestHandlerOptions> = {}) {
  return {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' },
    requestHandler: createSimRequestHandler({ dispatch, ...extra }),
  };
}

/** The client's output without the SDK's `$metadata`, for comparing with what dispatch returned. */
export function withoutMetadata<T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
}

/** The single call the world saw. */
export function onlyCall(recorded: Recorder): SimCall {
  if (recorded.calls.length !== 1) throw new Error(`expected exactly one dispatched call, got ${recorded.calls.length}`);
  const [call] = recorded.calls;
  if (!call) throw new Error('no call');
  return call;
}
