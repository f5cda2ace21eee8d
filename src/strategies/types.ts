/** Names of the rollout strategies; also the CLI subcommands (big-bang and blue-green in kebab case there). */
export type StrategyName = 'canary' | 'linear' | 'blueGreen' | 'rolling' | 'bigBang';

/** Well-known hook names that strategies place; users may name their own per-step hooks. */
export type HookName = 'preTraffic' | 'postTraffic' | (string & {});

/**
 * One step of a rollout plan. Plans are plain data: printed, diffed, rendered as a graph, stored with the
 * deployment, and run by the rollout machine (one machine state per step).
 */
export type Step =
  /** Bring the new version's capacity up to `percent` of the service (ECS tasks, Auto Scaling instances). */
  | { readonly type: 'deployCapacity'; readonly percent: number }
  /** Send `weight` percent of live traffic to the new version (fractions allowed where the service allows). */
  | { readonly type: 'setWeight'; readonly weight: number }
  /** Soak for `seconds` while the gates watch. Not skippable by promote: it is the safety window. */
  | { readonly type: 'bake'; readonly seconds: number }
  /** Wait `seconds`; `promote` ends it early. */
  | { readonly type: 'pause'; readonly seconds: number }
  /** Wait for `promote` (or abort). */
  | { readonly type: 'approval' }
  /** Run the named lifecycle hook; failing or timing out rolls back. */
  | { readonly type: 'hook'; readonly name: HookName }
  /** Run the named analysis (metric checks or canary comparison); a failing verdict rolls back. */
  | { readonly type: 'analysis'; readonly name: string }
  /** Scale the old version's capacity down (blue-green, and canary with capacity) after traffic has left it. */
  | { readonly type: 'retireOld' };

export type StepType = Step['type'];

export interface Plan {
  readonly strategy: StrategyName;
  readonly steps: readonly Step[];
  /** The CodeDeploy preset the plan came from, if any. */
  readonly preset?: string;
  /**
   * Rolling only: size of each capacity batch, as a percent of the service or as a count of instances/tasks.
   * Capacity providers translate it (MinHealthyPercentage, minimumHealthyPercent/maximumPercent).
   */
  readonly batch?: { readonly percent: number } | { readonly count: number };
}

/** Options every strategy shares. */
export interface CommonStrategyOptions {
  /** The target splits live traffic (ALB, Lambda, Route 53). Default true; false for a capacity-only target. */
  readonly traffic?: boolean;
  /** The target has capacity to bring up before traffic moves (ECS, Auto Scaling); adds deployCapacity/retireOld. */
  readonly capacity?: boolean;
  /** Run the preTraffic hook before the first traffic shift. */
  readonly preTrafficHook?: boolean;
  /** Run the postTraffic hook after traffic reached 100%. */
  readonly postTrafficHook?: boolean;
  /** Wait for promote before the first traffic shift (blue-green) or before 100% (canary, linear). */
  readonly approval?: boolean;
  /** Soak at 100% before finishing (and before retiring the old side). */
  readonly finalBakeSeconds?: number;
}
