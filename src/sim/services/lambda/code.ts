/**
 * Code identity: CodeSha256 and the artifact the world maps to an app version (world.versionOfArtifact).
 */
import { createHash } from 'node:crypto';
import type { World } from '../../world.js';
import { invalidParameter } from './errors.js';
import type { CodeIdentity } from './state.js';

/** The code members of CreateFunction's `Code` and of UpdateFunctionCode. */
export interface CodeInput {
  readonly ZipFile?: Uint8Array;
  readonly S3Bucket?: string;
  readonly S3Key?: string;
  readonly S3ObjectVersion?: string;
  readonly ImageUri?: string;
}

function sha256(data: Uint8Array | string, encoding: 'base64' | 'hex' = 'base64'): string {
  return createHash('sha256').update(data).digest(encoding);
}

/** A plausible, stable package size for code the simulator never sees. */
function sizeFor(hash: string): number {
  return 1024 + (Buffer.from(hash, 'base64').readUInt32BE(0) % 5_000_000);
}

/** The identity of uploaded code; undefined when the input names no code at all. */
export function codeFromInput(input: CodeInput): CodeIdentity | undefined {
  if (input.ZipFile && input.ZipFile.length > 0) {
    const hash = sha256(input.ZipFile);
    return { sha256: hash, size: input.ZipFile.length, artifact: hash, aliases: [] };
  }
  if (input.S3Bucket || input.S3Key) {
    if (!input.S3Bucket || !input.S3Key) invalidParameter('Please provide a source for function code: S3Bucket and S3Key are both required.');
    const uri = `s3://${input.S3Bucket}/${input.S3Key}${input.S3ObjectVersion ? `?versionId=${input.S3ObjectVersion}` : ''}`;
    const hash = sha256(uri);
    return { sha256: hash, size: sizeFor(hash), artifact: hash, aliases: [uri, `s3://${input.S3Bucket}/${input.S3Key}`] };
  }
  if (input.ImageUri) {
    // Image functions report the image digest (hex) as CodeSha256.
    const hash = sha256(input.ImageUri, 'hex');
    return { sha256: hash, size: 0, artifact: hash, aliases: [input.ImageUri], imageUri: input.ImageUri };
  }
  return undefined;
}

/** Code seeded from a world file: the artifact name is what `artifacts:` maps to an app version. */
export function seededCode(artifact: string): CodeIdentity {
  const hash = sha256(`deployctl-sim-artifact:${artifact}`);
  return { sha256: hash, size: sizeFor(hash), artifact, aliases: [] };
}

/**
 * The app version label of some code: the first of its names the world maps (artifact, CodeSha256, image URI,
 * S3 object), else the artifact itself.
 */
export function versionLabel(world: World, code: CodeIdentity): string {
  const mapped = [code.artifact, code.sha256, ...code.aliases].find((name) => world.state.artifacts[name] !== undefined);
  return world.versionOfArtifact(mapped ?? code.artifact);
}
