/**
 * The simulated Lambda's state: plain JSON (times in epoch milliseconds), so a world can be saved and loaded.
 */

/** What an Invoke returns, as declared in the world file (default payload `{"status":"Succeeded"}`). */
export interface InvokeBehaviour {
  readonly payload?: unknown;
  /** Sent as `X-Amz-Function-Error` (`Unhandled` for a crashed handler). */
  readonly functionError?: string;
}

/** The code a version runs and how it is identified. */
export interface CodeIdentity {
  /** Base64 SHA-256 of the code bytes (or a stable hash of an image URI, S3 object or seeded artifact). */
  readonly sha256: string;
  readonly size: number;
  /** The artifact the world maps to an app version: the seeded `artifact`, else the CodeSha256. */
  readonly artifact: string;
  /** Other names the world file may map instead (image URI, `s3://bucket/key`). */
  readonly aliases: readonly string[];
  readonly imageUri?: string;
}

/** The settings a published version freezes. */
export interface FunctionSettings {
  role: string;
  runtime?: string;
  handler?: string;
  description: string;
  timeout: number;
  memorySize: number;
  packageType: 'Zip' | 'Image';
  architectures: string[];
  environment?: Record<string, string>;
  deadLetterTarget?: string;
}

/** `$LATEST` or one published version. */
export interface VersionRecord {
  /** `$LATEST` or a number as a string. */
  readonly version: string;
  settings: FunctionSettings;
  code: CodeIdentity;
  revisionId: string;
  lastModified: number;
  state: 'Pending' | 'Active';
  /** `$LATEST` only: the outcome of the last code/configuration update. */
  lastUpdateStatus?: 'InProgress' | 'Successful';
  /** When a pending creation or update completes (cleared once it has). */
  settlesAt?: number;
  /** Published versions: the fingerprint of `$LATEST` they were published from. */
  sourceFingerprint?: string;
  invoke?: InvokeBehaviour;
}

export interface AliasRecord {
  readonly name: string;
  functionVersion: string;
  description: string;
  /** AdditionalVersionWeights: at most one entry, version number -> weight. */
  routing: Record<string, number>;
  revisionId: string;
}

export interface FunctionRecord {
  readonly name: string;
  latest: VersionRecord;
  /** Published versions by number. */
  versions: Record<string, VersionRecord>;
  nextVersion: number;
  aliases: Record<string, AliasRecord>;
  tags: Record<string, string>;
  invoke?: InvokeBehaviour;
}

export interface LambdaState {
  functions: Record<string, FunctionRecord>;
  /** Seconds a creation, update or publish stays Pending / InProgress. */
  settleSeconds: number;
}

/** A realistic default: creation and updates of a zip function take a few seconds. */
export const DEFAULT_SETTLE_SECONDS = 5;

export function initialLambdaState(): LambdaState {
  return { functions: {}, settleSeconds: DEFAULT_SETTLE_SECONDS };
}
