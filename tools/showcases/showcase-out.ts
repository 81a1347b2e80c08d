import * as z from 'zod';
import type { Model } from '../../src/core/types.js';
import type { OperationContext } from '../operation.js';
import { presentModel } from '../presenters.js';
import { ModelOut } from '../schemas.js';

export const ShowcaseOut = ModelOut.describe('The showcase (same id and row as its model)');
export const presentShowcase = (ctx: OperationContext, model: Model) => presentModel(ctx, model);
export type ShowcaseOut = z.input<typeof ShowcaseOut>;
