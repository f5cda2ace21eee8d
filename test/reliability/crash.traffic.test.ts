import { defineCrashSuite } from './crash.js';

/** A crash at every state of every traffic rollout (ALB, Lambda, Route 53 × canary, linear, blue-green, big-bang). */
defineCrashSuite('crash at every state (traffic)', ['alb', 'lambda', 'route53']);
