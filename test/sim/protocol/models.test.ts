import { describe, expect, it } from 'vitest';
import { loadedModels, loadModel } from '../../../src/sim/protocol/models.js';
import { compileModelPattern, skippedPatterns } from '../../../src/sim/protocol/patterns.js';
import { describeService, SERVICE_NAMES } from '../../../src/sim/protocol/serviceRegistry.js';
import { identifyService } from '../../../src/sim/protocol/index.js';

describe('vendored models', () => {
  it('are not loaded until a request needs them', () => {
    expect(loadedModels()).toEqual([]);
    identifyService({ method: 'POST', protocol: 'https:', hostname: 'ecs.us-east-1.amazonaws.com', path: '/', headers: {} });
    expect(loadedModels()).toEqual([]);
    loadModel('ecs');
    expect(loadedModels()).toEqual(['ecs']);
  });

  it.each(SERVICE_NAMES)('%s: the static registry matches the model metadata', (service) => {
    const metadata = loadModel(service).metadata;
    const descriptor = describeService(service);
    expect(descriptor.endpointPrefix).toBe(metadata.endpointPrefix);
    expect(descriptor.apiVersion).toBe(metadata.apiVersion);
    expect(descriptor.targetPrefix).toBe(metadata.targetPrefix);
    expect(descriptor.jsonVersion).toBe(metadata.jsonVersion);
    // Route 53 declares its namespace on the operations' input bodies, not in the metadata.
    const inputNamespace = loadModel(service)
      .operations()
      .find((op) => op.input?.xmlNamespace)?.input?.xmlNamespace?.uri;
    expect(descriptor.xmlNamespace).toBe(metadata.xmlNamespace ?? inputNamespace);
    expect(descriptor.queryCompatible).toBe(metadata.awsQueryCompatible !== undefined);
  });

  it.each(SERVICE_NAMES)('%s: every pattern compiles, so no constraint goes unchecked', (service) => {
    const model = loadModel(service);
    for (const operation of model.operations()) {
      for (const ref of [operation.input, operation.output]) {
        if (ref) collectPatterns(model, ref.shape, new Set()).forEach((pattern) => compileModelPattern(pattern));
      }
    }
    expect(skippedPatterns()).toEqual([]);
  });

  it('translates Java POSIX classes and needless escapes', () => {
    expect(compileModelPattern('\\p{Print}+')?.test('Scale up 10%')).toBe(true);
    expect(compileModelPattern('\\p{Print}+')?.test('tab\there')).toBe(false);
    expect(compileModelPattern('[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}[A-Za-z0-9]')?.test('rule_name-1.x')).toBe(true);
    // AWS matches the whole value, so model patterns are anchored.
    expect(compileModelPattern('[0-9]+')?.test('12a')).toBe(false);
  });
});

function collectPatterns(model: ReturnType<typeof loadModel>, shapeName: string, seen: Set<string>): string[] {
  if (seen.has(shapeName)) return [];
  seen.add(shapeName);
  const shape = model.shape(shapeName);
  const own = shape.pattern === undefined ? [] : [shape.pattern];
  switch (shape.type) {
    case 'structure':
      return [...own, ...Object.values(shape.members).flatMap((ref) => collectPatterns(model, ref.shape, seen))];
    case 'list':
      return [...own, ...collectPatterns(model, shape.member.shape, seen)];
    case 'map':
      return [...own, ...collectPatterns(model, shape.key.shape, seen), ...collectPatterns(model, shape.value.shape, seen)];
    default:
      return own;
  }
}
