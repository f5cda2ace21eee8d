import type { Json } from '../types.js';
import { capturedWeights } from './routing.js';
import { parseSnapshot } from './snapshot.js';
import { regionOf, type LambdaTargetSpec } from './target.js';

/** Single-quotes a word for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Copy-pasteable aws CLI commands that put the captured alias back (version, routing, description), then show
 * it to check by eye. The Region comes from the alias ARN, so they work whatever the shell's default Region is.
 */
export function manualRestoreCommands(json: Json, target: LambdaTargetSpec, label: string): string[] {
  let snapshot;
  try {
    snapshot = parseSnapshot(json, label);
  } catch {
    return [`# ${label}: no captured configuration was recorded, so there is nothing exact to restore; inspect it with:`, getAlias(target.functionName, target.alias, regionOf(target.functionName))];
  }
  const region = regionOf(snapshot.aliasArn) ?? regionOf(snapshot.functionName);
  const { original } = snapshot;
  const update = [
    `aws lambda update-alias${regionFlag(region)}`,
    `--function-name ${shellQuote(snapshot.functionName)}`,
    `--name ${shellQuote(snapshot.alias)}`,
    `--function-version ${shellQuote(original.FunctionVersion)}`,
    `--routing-config ${shellQuote(JSON.stringify({ AdditionalVersionWeights: capturedWeights(original) }))}`,
    `--description ${shellQuote(original.Description ?? '')}`,
  ].join(' ');
  return [update, getAlias(snapshot.functionName, snapshot.alias, region)];
}

function regionFlag(region: string | undefined): string {
  return region ? ` --region ${shellQuote(region)}` : '';
}

function getAlias(functionName: string, alias: string, region: string | undefined): string {
  return `aws lambda get-alias${regionFlag(region)} --function-name ${shellQuote(functionName)} --name ${shellQuote(alias)}`;
}
