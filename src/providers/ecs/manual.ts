import { shellQuote } from '../alb/manual.js';
import type { Json } from '../types.js';
import { parseSnapshot, type CapturedService, type EcsSnapshot } from './snapshot.js';
import type { EcsTargetRef } from './target.js';

function regionFlag(region: string | undefined): string {
  return region ? ` --region ${shellQuote(region)}` : '';
}

function serviceFlags(snapshot: { cluster: string; region?: string }, service: string): string {
  return `${regionFlag(snapshot.region)} --cluster ${shellQuote(snapshot.cluster)} --service ${shellQuote(service)}`;
}

/** The captured task definition and whole deployment configuration (JSON as the API takes it), and the count when asked. */
function updateCommand(snapshot: EcsSnapshot, service: CapturedService, withCount: boolean): string {
  const config = shellQuote(JSON.stringify(service.deploymentConfiguration));
  const count = withCount ? ` --desired-count ${service.desiredCount}` : '';
  return `aws ecs update-service${serviceFlags(snapshot, service.name)} --task-definition ${shellQuote(service.taskDefinition)}${count} --deployment-configuration ${config}`;
}

function waitCommand(snapshot: EcsSnapshot, services: readonly string[]): string {
  return `aws ecs wait services-stable${regionFlag(snapshot.region)} --cluster ${shellQuote(snapshot.cluster)} --services ${services.map(shellQuote).join(' ')}`;
}

/** Native: ECS moves the traffic back itself when its service deployment is stopped (ConflictException if it already ended). */
function stopCommand(snapshot: EcsSnapshot, service: string): string {
  const current = `aws ecs describe-services${regionFlag(snapshot.region)} --cluster ${shellQuote(snapshot.cluster)} --services ${shellQuote(service)} --query 'services[0].currentServiceDeployment' --output text`;
  return `aws ecs stop-service-deployment${regionFlag(snapshot.region)} --service-deployment-arn "$(${current})" --stop-type ROLLBACK`;
}

/**
 * Copy-pasteable aws CLI commands that put the captured configuration back by hand, in a safe order: in split
 * mode the live side goes back to its captured size first (so the restored ALB weights reach warm tasks), then
 * the new side returns to its capture; then the wait that says when the services are steady again.
 */
export function manualRestoreCommands(json: Json, ref: EcsTargetRef, label: string): string[] {
  let snapshot: EcsSnapshot;
  try {
    snapshot = parseSnapshot(json, label);
  } catch {
    const names = [ref.service, ...(ref.canaryService ? [ref.canaryService] : [])].map(shellQuote).join(' ');
    return [`# ${label}: no captured configuration was recorded, so there is nothing exact to restore; inspect the services with:`, `aws ecs describe-services --cluster ${shellQuote(ref.cluster)} --services ${names}`];
  }
  if (snapshot.mode !== 'split') {
    const commands = [updateCommand(snapshot, snapshot.service, false), waitCommand(snapshot, [snapshot.service.name])];
    return snapshot.mode === 'native' ? [stopCommand(snapshot, snapshot.service.name), ...commands] : commands;
  }
  const stable = `aws ecs update-service${serviceFlags(snapshot, snapshot.stable.name)} --desired-count ${snapshot.stable.desiredCount}`;
  return [stable, updateCommand(snapshot, snapshot.canary, true), waitCommand(snapshot, [snapshot.stable.name, snapshot.canary.name])];
}
