/** The domain core: every service, wired from ports. Knows nothing of HTTP, MCP or databases. */
import type { CoreDeps } from './deps.js';
import { AccountService } from './accounts/account-service.js';
import { AnonymousSweeper } from './accounts/anonymous-sweeper.js';
import { FeedbackService } from './feedback/feedback-service.js';
import { LayoutService } from './layouts/layout-service.js';
import { LookService } from './looks/look-service.js';
import { ModelService } from './models/model-service.js';
import { ShowcaseService } from './showcases/showcase-service.js';
import { ThumbnailService } from './thumbnails/thumbnail-service.js';
import { UploadService } from './uploads/upload-service.js';

export interface Core {
  deps: CoreDeps;
  accounts: AccountService;
  models: ModelService;
  showcases: ShowcaseService;
  looks: LookService;
  layouts: LayoutService;
  feedback: FeedbackService;
  uploads: UploadService;
  thumbnails: ThumbnailService;
  sweeper: AnonymousSweeper;
}

export function createCore(deps: CoreDeps): Core {
  const models = new ModelService(deps);
  return {
    deps,
    accounts: new AccountService(deps),
    models,
    showcases: new ShowcaseService(deps, models),
    looks: new LookService(deps, (changed) => changed.forEach((m) => models.notifyConfigChanged(m))),
    layouts: new LayoutService(deps),
    feedback: new FeedbackService(deps),
    uploads: new UploadService(deps),
    thumbnails: new ThumbnailService(deps, models),
    sweeper: new AnonymousSweeper(deps),
  };
}
