import { defineCrashSuite } from './crash.js';

/** A crash at every state of every capacity rollout (ECS service alone and split at the ALB, Auto Scaling group). */
defineCrashSuite('crash at every state (capacity)', ['ecs', 'ecs-alb', 'asg']);
