/**
 * EC2 launch templates as Auto Scaling sees them. EC2 has no model here, so templates live in this service's
 * state and come only from world files: ids `lt-` + 17 hex, versions numbered from 1, `$Latest` (highest number)
 * and `$Default` (the template's default version, also used when no version is given) resolved at launch time.
 */
import { stableId } from '../common.js';
import { validationError } from './errors.js';
import type { AutoScalingState, LaunchTemplateRecord, ResolvedTemplate, TemplateRef } from './state.js';

export interface LaunchTemplateSpec {
  readonly LaunchTemplateId?: string;
  readonly LaunchTemplateName?: string;
  readonly Version?: string;
}

const FULLY_FORMED = 'You must use a valid fully-formed launch template.';

export function launchTemplateId(name: string): string {
  return `lt-${stableId('launch-template', name, 17)}`;
}

export function findTemplate(state: AutoScalingState, spec: LaunchTemplateSpec): LaunchTemplateRecord | undefined {
  if (spec.LaunchTemplateId !== undefined) return state.launchTemplates[spec.LaunchTemplateId];
  return Object.values(state.launchTemplates).find((t) => t.name === spec.LaunchTemplateName);
}

/**
 * Checks a LaunchTemplateSpecification the way CreateAutoScalingGroup does: exactly one of id and name
 * ("Valid requests must contain either launchTemplateId or LaunchTemplateName", reported for both and neither by
 * terraform-provider-aws and moto), a template that exists ("You must use a valid fully-formed launch template.
 * The specified launch template, with template name X, does not exist." — EC2's message behind Auto Scaling's
 * prefix), and a version that exists (wording UNVERIFIED).
 */
export function templateRef(state: AutoScalingState, spec: LaunchTemplateSpec): TemplateRef {
  if ((spec.LaunchTemplateId === undefined) === (spec.LaunchTemplateName === undefined)) {
    validationError('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  const template = findTemplate(state, spec);
  if (!template) {
    const what = spec.LaunchTemplateId !== undefined ? `template ID ${spec.LaunchTemplateId}` : `template name ${spec.LaunchTemplateName}`;
    return validationError(`${FULLY_FORMED} The specified launch template, with ${what}, does not exist.`);
  }
  const version = spec.Version;
  if (version !== undefined && !isFloatingVersion(version) && !template.versions.some((v) => String(v.number) === version)) {
    validationError(`${FULLY_FORMED} The specified launch template version ${version} for launch template ${template.id} does not exist.`);
  }
  return { id: template.id, name: template.name, ...(version !== undefined ? { version } : {}) };
}

/** `$Latest`, `$Default` or no version: the group follows the template instead of pinning a version. */
export function isFloatingVersion(version: string | undefined): boolean {
  return version === undefined || version === '$Latest' || version === '$Default';
}

export function resolveTemplate(state: AutoScalingState, ref: TemplateRef): ResolvedTemplate {
  const template = state.launchTemplates[ref.id];
  if (!template) throw new Error(`simulated autoscaling: launch template ${ref.id} is missing from the state`);
  const number = resolveVersionNumber(template, ref.version);
  const version = template.versions.find((v) => v.number === number);
  if (!version) throw new Error(`simulated autoscaling: launch template ${ref.id} has no version ${number}`);
  return { id: template.id, name: template.name, version: String(number), imageId: version.imageId, instanceType: version.instanceType };
}

function resolveVersionNumber(template: LaunchTemplateRecord, version: string | undefined): number {
  if (version === '$Latest') return Math.max(...template.versions.map((v) => v.number));
  if (version === undefined || version === '$Default') return template.defaultVersion;
  return Number(version);
}

/** The LaunchTemplateSpecification output shape; no Version when the caller gave none (AWS omits it then). */
export function templateOutput(ref: TemplateRef): Record<string, string> {
  return { LaunchTemplateId: ref.id, LaunchTemplateName: ref.name, ...(ref.version !== undefined ? { Version: ref.version } : {}) };
}

/** Whether an instance launched from `launched` already has the configuration `ref` resolves to now. */
export function matchesConfiguration(state: AutoScalingState, launched: ResolvedTemplate, ref: TemplateRef): boolean {
  const wanted = resolveTemplate(state, ref);
  return wanted.id === launched.id && wanted.version === launched.version;
}
