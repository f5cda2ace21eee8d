import { InputError } from '../errors.js';
import { parseDuration } from '../util/duration.js';
import type { ServiceName } from './types.js';

/**
 * Faults the world injects, per service and operation. Rate faults fire with the given probability (from the
 * world's seeded randomness); count faults fire on the first `count` matching calls. `from`/`until` are seconds
 * after the fault was added.
 */
export type Fault =
  | (Match & Trigger & { readonly type: 'throttle' })
  | (Match & Trigger & { readonly type: 'error'; readonly status?: number; readonly code?: string })
  | (Match & { readonly type: 'latency'; readonly ms: number })
  | (Match & Trigger & { readonly type: 'timeoutAfterApply' })
  | (Match & Trigger & { readonly type: 'lostWrite' })
  | (Match & { readonly type: 'staleRead'; readonly ms: number })
  /** Route 53: reject a change while an earlier change of the same zone is still PENDING. */
  | { readonly type: 'priorRequestNotComplete'; readonly service?: 'route53' }
  /** An out-of-band writer changes a target `at` seconds in, via the service's drift handler. */
  | { readonly type: 'writer'; readonly service: ServiceName; readonly at: number; readonly params: Readonly<Record<string, unknown>> }
  /** Forces an alarm into a state `at` seconds in (flapping, INSUFFICIENT_DATA), or deletes it. */
  | { readonly type: 'alarm'; readonly alarm: string; readonly at: number; readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'DELETED'; readonly holdSeconds?: number };

interface Match {
  readonly service: ServiceName;
  /** Operation name; all operations of the service when absent. */
  readonly operation?: string;
  /** Seconds after the fault was added. */
  readonly from?: number;
  readonly until?: number;
}

interface Trigger {
  /** Probability per matching call, 0..1. */
  readonly rate?: number;
  /** Fire on the first N matching calls. */
  readonly count?: number;
}

export const FAULT_HELP = [
  'throttle:<service>[:<Operation>]=<rate|xN>     e.g. throttle:lambda=0.5, throttle:cloudwatch:DescribeAlarms=x3',
  'error:<service>[:<Operation>]=<rate|xN>[/<status>[/<Code>]]  5xx responses, e.g. error:elbv2:DescribeTargetHealth=x1/500/HealthUnavailable',
  'latency:<service>[:<Operation>]=<duration>    e.g. latency:route53=2s',
  'timeout-after-apply:<service>[:<Operation>]=<rate|xN>   the write lands, the response never arrives',
  'lost-write:<service>[:<Operation>]=<rate|xN>  the call succeeds but changes nothing',
  'stale-read:<service>=<duration>              reads return the state from before the last write for that long',
  'prior-request-not-complete:route53           Route 53 rejects changes while one is PENDING',
  'writer:<service>@<duration>:<key>=<value>[,<key>=<value>]  an out-of-band change, e.g. writer:elbv2@90s:weight=50',
  'alarm:<name>@<duration>=<OK|ALARM|INSUFFICIENT_DATA|DELETED>[/<hold>]  e.g. alarm:errors@2m=ALARM/30s',
].join('\n  ');

const SERVICES: readonly ServiceName[] = ['elbv2', 'autoscaling', 'ecs', 'lambda', 'route53', 'cloudwatch', 'dynamodb'];

/** Parses the compact `--fault` form; each problem names the flag, the value, and the grammar. */
export function parseFault(text: string, flag = '--fault'): Fault {
  const fail = (why: string): never => {
    throw new InputError(flag, text, `${why}; use one of:\n  ${FAULT_HELP}`);
  };
  const [head = '', value] = splitOnce(text, '=');
  const [kind = '', ...rest] = head.split(':');
  if (kind === 'alarm') return parseAlarmFault(rest.join(':'), value, fail);
  if (kind === 'writer') return parseWriterFault(rest.join(':'), value, fail);
  if (kind === 'prior-request-not-complete') return { type: 'priorRequestNotComplete', service: 'route53' };
  const [service = '', operation] = rest;
  if (!SERVICES.includes(service as ServiceName)) fail(`unknown service ${JSON.stringify(service)} (services: ${SERVICES.join(', ')})`);
  const match = { service: service as ServiceName, ...(operation ? { operation } : {}) };
  if (value === undefined) fail('a value is missing after =');
  switch (kind) {
    case 'throttle':
      return { type: 'throttle', ...match, ...trigger(value!, fail) };
    case 'error': {
      const [amount = '', status, code] = value!.split('/');
      return { type: 'error', ...match, ...trigger(amount, fail), ...(status ? { status: Number(status) } : {}), ...(code ? { code } : {}) };
    }
    case 'latency':
      return { type: 'latency', ...match, ms: parseDuration(value!, flag) * 1000 };
    case 'timeout-after-apply':
      return { type: 'timeoutAfterApply', ...match, ...trigger(value!, fail) };
    case 'lost-write':
      return { type: 'lostWrite', ...match, ...trigger(value!, fail) };
    case 'stale-read':
      return { type: 'staleRead', ...match, ms: parseDuration(value!, flag) * 1000 };
    default:
      return fail(`unknown fault kind ${JSON.stringify(kind)}`);
  }
}

function trigger(value: string, fail: (why: string) => never): Trigger {
  if (/^x\d+$/.test(value)) return { count: Number(value.slice(1)) };
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) fail(`${JSON.stringify(value)} is neither a rate in 0..1 nor a count like x3`);
  return { rate };
}

function parseAlarmFault(spec: string, value: string | undefined, fail: (why: string) => never): Fault {
  const [alarm = '', at = ''] = splitOnce(spec, '@');
  const [state = '', hold] = (value ?? '').split('/');
  if (!alarm || !at) fail('alarm faults need a name and a time, like alarm:errors@2m=ALARM');
  if (!['OK', 'ALARM', 'INSUFFICIENT_DATA', 'DELETED'].includes(state)) fail(`alarm state ${JSON.stringify(state)} must be OK, ALARM, INSUFFICIENT_DATA or DELETED`);
  return { type: 'alarm', alarm, at: parseDuration(at!, '--fault'), state: state as 'OK', ...(hold ? { holdSeconds: parseDuration(hold, '--fault') } : {}) };
}

function parseWriterFault(spec: string, value: string | undefined, fail: (why: string) => never): Fault {
  const [service = '', atAndParams = ''] = splitOnce(spec, '@');
  const [at = '', firstParam] = splitOnce(atAndParams, ':');
  if (!SERVICES.includes(service as ServiceName)) fail(`unknown service ${JSON.stringify(service)}`);
  const pairs = [firstParam && value !== undefined ? `${firstParam}=${value}` : firstParam].filter((p): p is string => !!p).join(',');
  const params: Record<string, unknown> = {};
  for (const pair of pairs.split(',').filter(Boolean)) {
    const [k = '', v = ''] = splitOnce(pair, '=');
    params[k] = Number.isFinite(Number(v)) && v !== '' ? Number(v) : v;
  }
  return { type: 'writer', service: service as ServiceName, at: parseDuration(at, '--fault'), params };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Throttling as each service really reports it (code, HTTP status, extras). */
export function throttlingError(service: ServiceName): { code: string; message: string; httpStatus: number; retryAfterSeconds?: number; extra?: Record<string, unknown> } {
  switch (service) {
    case 'ecs':
      return { code: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 400 };
    case 'lambda':
      return { code: 'TooManyRequestsException', message: 'Rate exceeded', httpStatus: 429, retryAfterSeconds: 1, extra: { Reason: 'CallerRateLimitExceeded', Type: 'User' } };
    case 'dynamodb':
      return { code: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.', httpStatus: 400 };
    default:
      return { code: 'Throttling', message: 'Rate exceeded', httpStatus: 400 };
  }
}

/** A 5xx as each service reports it. */
export function serverError(service: ServiceName, status = 500): { code: string; message: string; httpStatus: number } {
  switch (service) {
    case 'lambda':
      return { code: 'ServiceException', message: 'The AWS Lambda service encountered an internal error.', httpStatus: status };
    case 'ecs':
      return { code: 'ServerException', message: 'Service encountered an internal error', httpStatus: status };
    case 'autoscaling':
      return status === 500 ? { code: 'ResourceContention', message: 'You already have a pending update to an Auto Scaling resource.', httpStatus: 500 } : { code: 'ServiceUnavailable', message: 'Service unavailable', httpStatus: status };
    default:
      return { code: status === 503 ? 'ServiceUnavailable' : 'InternalFailure', message: 'We encountered an internal error. Please try again.', httpStatus: status };
  }
}
