/** Shared set-up for the wire-layer tests: real SDK clients wired to a recording dispatch. */
import { vi } from 'vitest';
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

/**
 * Sends with fake timers so the SDK's retry back-off (up to seconds per attempt) passes instantly, and
 * returns the error the command failed with. Timers are advanced until the command settles, because the
 * first retry timer may only be scheduled after some real I/O.
 */
export async function failureOf(send: () => Promise<unknown>): Promise<Record<string, unknown>> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    return await settleWithFakeTimers(
      send().then(
        () => {
          throw new Error('expected the command to fail');
        },
        (error: unknown) => error as Record<string, unknown>,
      ),
    );
  } finally {
    vi.useRealTimers();
  }
}

/** Advances fake timers until `pending` settles (bounded, so a hung world fails the test instead). */
export async function settleWithFakeTimers<T>(pending: Promise<T>): Promise<T> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let round = 0; round < 50 && !settled; round++) await vi.advanceTimersByTimeAsync(30_000);
  return pending;
}
