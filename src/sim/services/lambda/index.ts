/**
 * The simulated AWS Lambda: functions with $LATEST and published versions, aliases with weighted routing,
 * Invoke for lifecycle hooks, and the traffic model for alias-based canaries.
 */
import type { SimService } from '../../types.js';
import { advanceLambda, nextLambdaEvent } from './advance.js';
import { aliasOperations } from './aliases.js';
import { driftLambda } from './drift.js';
import { functionOperations } from './functions.js';
import { invokeOperations } from './invoke.js';
import { routeLambda } from './route.js';
import { seedLambda } from './seed.js';
import { initialLambdaState, type LambdaState } from './state.js';
import { versionOperations } from './versions.js';

export type { LambdaState } from './state.js';

export const lambdaService: SimService<LambdaState> = {
  name: 'lambda',
  initialState: initialLambdaState,
  operations: { ...functionOperations, ...versionOperations, ...aliasOperations, ...invokeOperations },
  nextEventAt: nextLambdaEvent,
  advance: advanceLambda,
  route: routeLambda,
  drift: driftLambda,
  seed: seedLambda,
};
