/**
 * The `lambda:` section of a world file. Everything seeded is Active, with stable RevisionIds.
 *
 *   lambda:
 *     settleSeconds: 5              # optional: how long creations/updates/publishes stay Pending (default 5)
 *     functions:
 *       - name: checkout
 *         role: arn:aws:iam::123456789012:role/checkout     # default arn:aws:iam::<account>:role/<name>-role
 *         runtime: nodejs20.x                              # default nodejs20.x
 *         handler: index.handler                           # default index.handler
 *         deadLetterTarget: arn:aws:sqs:...                # optional DeadLetterConfig.TargetArn
 *         latest: v3             # artifact of $LATEST; default: the newest version's (nothing to publish)
 *         versions:
 *           - { version: 1, artifact: v1, description: first }
 *           - { version: 2, artifact: v2, role: ..., deadLetterTarget: ..., invoke: { payload: {...} } }
 *         aliases:
 *           - { name: live, version: 1, routing: { '2': 0.1 }, description: production }
 *         invoke: { payload: { status: Succeeded }, functionError: Unhandled }   # optional, per function or version
 *
 * Artifacts map to app versions through the top-level `artifacts:` (else the artifact name is the version
 * label). References: `fn:<name>` {arn, name}, `alias:<fn>:<alias>` {arn, resource: '<fn>:<alias>'}.
 */
import { InputError } from '../../../errors.js';
import { copy } from '../common.js';
import { SimServiceError } from '../../protocol/index.js';
import type { SeedRefs, ServiceContext } from '../../types.js';
import { seededCode } from './code.js';
import { DEFAULT_MEMORY, DEFAULT_TIMEOUT, fingerprintOf, stableRevisionId } from './config.js';
import { functionArn, LATEST } from './names.js';
import { validateRouting } from './routing.js';
import type { FunctionRecord, FunctionSettings, InvokeBehaviour, LambdaState, VersionRecord } from './state.js';

interface VersionSpec {
  readonly version: string | number;
  readonly artifact: string;
  readonly description?: string;
  readonly role?: string;
  readonly deadLetterTarget?: string;
  readonly invoke?: InvokeBehaviour;
}

interface AliasSpec {
  readonly name: string;
  readonly version: string | number;
  readonly routing?: Readonly<Record<string, number>>;
  readonly description?: string;
}

interface FunctionSpec {
  readonly name: string;
  readonly role?: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly deadLetterTarget?: string;
  readonly latest?: string;
  readonly versions?: readonly VersionSpec[];
  readonly aliases?: readonly AliasSpec[];
  readonly invoke?: InvokeBehaviour;
}

interface LambdaSection {
  readonly settleSeconds?: number;
  readonly functions?: readonly FunctionSpec[];
}

const WHERE = 'world: lambda';

function check(ok: boolean, where: string, value: unknown, allowed: string): void {
  if (!ok) throw new InputError(where, value, allowed);
}

function baseSettings(ctx: ServiceContext<LambdaState>, spec: FunctionSpec): FunctionSettings {
  return {
    role: spec.role ?? `arn:aws:iam::${ctx.world.state.accountId}:role/${spec.name}-role`,
    runtime: spec.runtime ?? 'nodejs20.x',
    handler: spec.handler ?? 'index.handler',
    description: '',
    timeout: DEFAULT_TIMEOUT,
    memorySize: DEFAULT_MEMORY,
    packageType: 'Zip',
    architectures: ['x86_64'],
    ...(spec.deadLetterTarget ? { deadLetterTarget: spec.deadLetterTarget } : {}),
  };
}

function seededVersion(ctx: ServiceContext<LambdaState>, fnName: string, version: string, artifact: string, settings: FunctionSettings): VersionRecord {
  return { version, settings, code: seededCode(artifact), revisionId: stableRevisionId(`${fnName}:${version}`), lastModified: ctx.now, state: 'Active' };
}

function publishedVersions(ctx: ServiceContext<LambdaState>, spec: FunctionSpec, where: string): VersionRecord[] {
  let previous = 0;
  return (spec.versions ?? []).map((v, i) => {
    const number = String(v.version);
    check(/^[1-9][0-9]*$/.test(number) && Number(number) > previous, `${where}.versions[${i}].version`, v.version, 'versions are numbers 1, 2, 3... listed in increasing order');
    check(typeof v.artifact === 'string' && v.artifact !== '', `${where}.versions[${i}].artifact`, v.artifact, 'give the artifact (app version) this version runs');
    previous = Number(number);
    const settings: FunctionSettings = { ...baseSettings(ctx, spec), ...(v.role ? { role: v.role } : {}), ...(v.deadLetterTarget ? { deadLetterTarget: v.deadLetterTarget } : {}) };
    const record = seededVersion(ctx, spec.name, number, v.artifact, settings);
    // Published from a $LATEST that had this code and these settings (and no function description).
    record.sourceFingerprint = fingerprintOf({ ...record, settings: { ...settings, description: '' } });
    if (v.description) record.settings.description = v.description;
    if (v.invoke) record.invoke = copy(v.invoke);
    return record;
  });
}

function seedAlias(ctx: ServiceContext<LambdaState>, fn: FunctionRecord, spec: AliasSpec, where: string): void {
  check(typeof spec.name === 'string' && /^[a-zA-Z0-9-_]+$/.test(spec.name) && !/^[0-9]+$/.test(spec.name), `${where}.name`, spec.name, 'alias names are letters, digits, - and _, and not all digits');
  const primary = String(spec.version);
  check(primary === LATEST || fn.versions[primary] !== undefined, `${where}.version`, spec.version, `name one of the function's versions: ${[LATEST, ...Object.keys(fn.versions)].join(', ')}`);
  const routing = Object.fromEntries(Object.entries(spec.routing ?? {}).map(([k, w]) => [k, Number(w)]));
  try {
    validateRouting(ctx, fn, primary, routing);
  } catch (error) {
    if (error instanceof SimServiceError) throw new InputError(`${where}.routing`, spec.routing, error.message);
    throw error;
  }
  fn.aliases[spec.name] = { name: spec.name, functionVersion: primary, description: spec.description ?? '', routing, revisionId: stableRevisionId(`${fn.name}:alias:${spec.name}`) };
}

function seedFunction(ctx: ServiceContext<LambdaState>, spec: FunctionSpec, refs: SeedRefs, where: string): void {
  check(typeof spec.name === 'string' && /^[a-zA-Z0-9-_]{1,64}$/.test(spec.name), `${where}.name`, spec.name, 'function names are 1-64 letters, digits, - and _');
  check(ctx.state.functions[spec.name] === undefined, `${where}.name`, spec.name, 'each function is listed once');
  const versions = publishedVersions(ctx, spec, where);
  const newest = versions[versions.length - 1];
  const artifact = spec.latest ?? newest?.code.artifact ?? spec.name;
  const latest = seededVersion(ctx, spec.name, LATEST, artifact, baseSettings(ctx, spec));
  latest.lastUpdateStatus = 'Successful';
  const fn: FunctionRecord = { name: spec.name, latest, versions: Object.fromEntries(versions.map((v) => [v.version, v])), nextVersion: Number(newest?.version ?? 0) + 1, aliases: {}, tags: {} };
  if (spec.invoke) fn.invoke = copy(spec.invoke);
  ctx.state.functions[spec.name] = fn;
  (spec.aliases ?? []).forEach((alias, i) => seedAlias(ctx, fn, alias, `${where}.aliases[${i}]`));
  refs.set(`fn:${fn.name}`, { arn: functionArn(ctx, fn.name), name: fn.name });
  for (const alias of Object.keys(fn.aliases)) refs.set(`alias:${fn.name}:${alias}`, { arn: functionArn(ctx, fn.name, alias), resource: `${fn.name}:${alias}` });
}

export function seedLambda(ctx: ServiceContext<LambdaState>, spec: unknown, refs: SeedRefs): void {
  const section = (spec ?? {}) as LambdaSection;
  check(typeof section === 'object' && !Array.isArray(section), WHERE, spec, 'the lambda section is a map with functions: [...]');
  if (section.settleSeconds !== undefined) {
    check(typeof section.settleSeconds === 'number' && section.settleSeconds >= 0, `${WHERE}.settleSeconds`, section.settleSeconds, 'a number of seconds, 0 or more');
    ctx.state.settleSeconds = section.settleSeconds;
  }
  check(section.functions === undefined || Array.isArray(section.functions), `${WHERE}.functions`, section.functions, 'a list of functions');
  (section.functions ?? []).forEach((fn, i) => seedFunction(ctx, fn, refs, `${WHERE}.functions[${i}]`));
}
