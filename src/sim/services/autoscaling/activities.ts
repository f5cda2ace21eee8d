/**
 * Scaling activities: one per instance launch or termination, with AWS's Description/Cause wording
 * ("Launching a new EC2 instance: i-…", "At <time> an instance was started in response to a difference between
 * desired and actual capacity, increasing the capacity from 1 to 2." — the AWS CLI examples for
 * describe-scaling-activities), newest first.
 */
import { date, paginate } from '../common.js';
import type { Ctx } from './errors.js';
import type { ActivityRecord, GroupRecord } from './state.js';

/** Oldest activities are dropped beyond this, so a long-running world's state stays small. */
const MAX_ACTIVITIES = 5_000;

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A random UUID from the world's seeded randomness (refresh ids, activity ids, group ARNs). */
export function uuid(ctx: Ctx): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(ctx.random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(ctx.random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function startActivity(ctx: Ctx, group: GroupRecord, description: string, cause: string, details: Record<string, string>): ActivityRecord {
  const activity: ActivityRecord = {
    id: uuid(ctx),
    group: group.name,
    groupArn: group.arn,
    description,
    cause,
    startTime: ctx.now,
    statusCode: 'InProgress',
    progress: 30,
    details: JSON.stringify(details),
    groupDeleted: false,
  };
  ctx.state.activities.push(activity);
  if (ctx.state.activities.length > MAX_ACTIVITIES) ctx.state.activities.splice(0, ctx.state.activities.length - MAX_ACTIVITIES);
  return activity;
}

export function finishActivity(ctx: Ctx, id: string | undefined, statusCode: ActivityRecord['statusCode'] = 'Successful', statusMessage?: string): void {
  const activity = ctx.state.activities.find((a) => a.id === id);
  if (!activity || activity.statusCode !== 'InProgress') return;
  activity.statusCode = statusCode;
  activity.endTime = ctx.now;
  activity.progress = 100;
  if (statusMessage !== undefined) activity.statusMessage = statusMessage;
}

export function describeScalingActivities(ctx: Ctx, input: Record<string, unknown>): unknown {
  const ids = input.ActivityIds as string[] | undefined;
  const groupName = input.AutoScalingGroupName as string | undefined;
  const includeDeleted = input.IncludeDeletedGroups === true;
  const matching = ctx.state.activities
    .filter((a) => (ids === undefined || ids.length === 0 || ids.includes(a.id)) && (groupName === undefined || a.group === groupName) && (includeDeleted || !a.groupDeleted))
    .reverse();
  const { page, next } = paginate(matching, input.NextToken, input.MaxRecords as number | undefined, 100);
  return { Activities: page.map((a) => activityOutput(a, includeDeleted)), ...(next ? { NextToken: next } : {}) };
}

function activityOutput(a: ActivityRecord, includeDeleted: boolean): Record<string, unknown> {
  return {
    ActivityId: a.id,
    AutoScalingGroupName: a.group,
    AutoScalingGroupARN: a.groupArn,
    Description: a.description,
    Cause: a.cause,
    StartTime: date(a.startTime),
    ...(a.endTime !== undefined ? { EndTime: date(a.endTime) } : {}),
    StatusCode: a.statusCode,
    ...(a.statusMessage !== undefined ? { StatusMessage: a.statusMessage } : {}),
    Progress: a.progress,
    Details: a.details,
    ...(includeDeleted && a.groupDeleted ? { AutoScalingGroupState: 'Deleted' } : {}),
  };
}
