import { defineCrashSuite } from './crash.js';

/** A crash at every state of every capacity rollout (ECS service, Auto Scaling group × their strategies). */
defineCrashSuite('crash at every state (capacity)', ['ecs', 'asg']);
