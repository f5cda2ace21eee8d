import { defineFaultMatrix } from './matrix.js';

/**
 * The fault matrix for the traffic targets (ALB weighted target groups, Lambda alias routing, Route 53 weighted
 * records) × canary, linear, blue-green and big-bang × every fault of faults.ts. Rolling moves capacity, not
 * traffic: a traffic target alone refuses it (the bad-input corpus checks that).
 */
defineFaultMatrix('fault matrix (traffic)', ['alb', 'lambda', 'route53']);
