import type { Json } from '../types.js';
import { restoreRequest } from './rollback.js';
import { parseSnapshot, writableTemplate, type AsgSnapshot, type GroupCapture } from './snapshot.js';
import { isPinned, regionOf, showVersion, type AsgTargetSpec } from './target.js';

/** Single-quotes a word for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function cli(command: string, snapshot: { group: { arn: string } } | undefined, args: string): string {
  const region = regionOf(snapshot?.group.arn);
  return `aws autoscaling ${command}${region ? ` --region ${shellQuote(region)}` : ''} ${args}`;
}

const groupArg = (name: string): string => `--auto-scaling-group-name ${shellQuote(name)}`;

function describeGroups(snapshot: AsgSnapshot | undefined, names: readonly string[]): string {
  const query = 'AutoScalingGroups[].[AutoScalingGroupName,MinSize,MaxSize,DesiredCapacity,LaunchTemplate.Version,Instances[].[InstanceId,LifecycleState,HealthStatus,LaunchTemplate.Version]]';
  return cli('describe-auto-scaling-groups', snapshot, `--auto-scaling-group-names ${names.map(shellQuote).join(' ')} --query ${shellQuote(query)}`);
}

/**
 * Copy-pasteable aws CLI commands that put the captured configuration back by hand (printed when a rollback
 * fails), then show what is live. The Region comes from the group ARN.
 */
export function manualRestoreCommands(json: Json, target: AsgTargetSpec, label: string): string[] {
  let snapshot: AsgSnapshot;
  try {
    snapshot = parseSnapshot(json, label);
  } catch {
    const names = [target.autoScalingGroupName, ...(target.newGroupName ? [target.newGroupName] : [])];
    return [`# ${label}: no captured configuration was recorded, so there is nothing exact to restore; inspect it with:`, describeGroups(undefined, names)];
  }
  return snapshot.mode === 'twoGroups' ? twoGroupCommands(snapshot, label) : refreshCommands(snapshot, label);
}

function refreshCommands(snapshot: AsgSnapshot, label: string): string[] {
  const name = snapshot.group.name;
  const restore = restoreRequest(snapshot);
  const captured = snapshot.group.launchTemplate;
  const lines = [
    `# ${label}: if this deployment's instance refresh is still active, roll it back (AWS allows it with numbered versions on both sides):`,
    cli('rollback-instance-refresh', snapshot, groupArg(name)),
    `# otherwise, or if that is refused: cancel it, wait until describe-instance-refreshes shows Cancelled, and refresh back to ${showVersion(restore.DesiredConfiguration.LaunchTemplate.Version)}:`,
    cli('cancel-instance-refresh', snapshot, groupArg(name)),
    cli('start-instance-refresh', snapshot, `${groupArg(name)} --desired-configuration ${shellQuote(JSON.stringify(restore.DesiredConfiguration))} --preferences ${shellQuote(JSON.stringify(restore.Preferences))}`),
  ];
  if (!isPinned(captured.Version)) {
    lines.push(`# once that refresh is Successful, the group follows ${showVersion(captured.Version)} again as captured:`);
    lines.push(cli('update-auto-scaling-group', snapshot, `${groupArg(name)} --launch-template ${shellQuote(JSON.stringify(writableTemplate(captured)))}`));
  }
  lines.push(cli('describe-instance-refreshes', snapshot, `${groupArg(name)} --max-records 1`), describeGroups(snapshot, [name]));
  return lines;
}

function sizes(capture: GroupCapture): string {
  return `--min-size ${capture.minSize} --max-size ${capture.maxSize} --desired-capacity ${capture.desiredCapacity}`;
}

function twoGroupCommands(snapshot: AsgSnapshot, label: string): string[] {
  const { group: old, newGroup } = snapshot;
  return [
    `# ${label}: the old group back to its captured size first (wait until its instances are InService and Healthy):`,
    cli('update-auto-scaling-group', snapshot, `${groupArg(old.name)} ${sizes(old)}`),
    `# then, once traffic is back on the old group, the new group as captured:`,
    cli('update-auto-scaling-group', snapshot, `${groupArg(newGroup!.name)} --launch-template ${shellQuote(JSON.stringify(writableTemplate(newGroup!.launchTemplate)))} ${sizes(newGroup!)}`),
    describeGroups(snapshot, [old.name, newGroup!.name]),
  ];
}
