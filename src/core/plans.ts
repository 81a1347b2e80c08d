import type { RateRule } from './ports/rate-limiter.js';
import type { Plan } from './types.js';

/** What a plan allows. Values come from config (src/config.ts); the core only enforces them. */
export interface PlanLimits {
  rate: RateRule;
  maxModels: number;
  maxTotalBytes: number;
  maxFileBytes: number;
}

export type PlanTable = Record<Plan, PlanLimits>;
