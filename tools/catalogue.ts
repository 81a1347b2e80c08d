/**
 * Every API operation, in one list. src/http mounts each REST binding under /v1; src/mcp
 * registers each as a tool. A test pins that the two faces stay in step.
 */
import type { Operation } from './operation.js';
import { accountInfo } from './account/account-info.js';
import { claimSession } from './account/claim-session.js';
import { createApiKey } from './account/create-api-key.js';
import { listApiKeys } from './account/list-api-keys.js';
import { login } from './account/login.js';
import { logout } from './account/logout.js';
import { revokeApiKey } from './account/revoke-api-key.js';
import { upgradeAccount } from './account/upgrade-account.js';
import { feedback } from './feedback/feedback.js';
import { createLayout } from './layouts/create-layout.js';
import { deleteLayout } from './layouts/delete-layout.js';
import { listLayouts } from './layouts/list-layouts.js';
import { updateLayout } from './layouts/update-layout.js';
import { applyLook } from './looks/apply-look.js';
import { createLook } from './looks/create-look.js';
import { deleteLook } from './looks/delete-look.js';
import { listLooks } from './looks/list-looks.js';
import { updateLook } from './looks/update-look.js';
import { deleteModel } from './models/delete-model.js';
import { listModels } from './models/list-models.js';
import { modelInfo } from './models/model-info.js';
import { uploadModel } from './models/upload-model.js';
import { configSchema } from './reference/config-schema.js';
import { listHdris } from './reference/list-hdris.js';
import { getConfig } from './scene/get-config.js';
import { setConfig } from './scene/set-config.js';
import { getEmbed } from './showcases/get-embed.js';
import { publish } from './showcases/publish.js';
import { updateShowcase } from './showcases/update-showcase.js';
import { renderPreview } from './thumbnails/render-preview.js';
import { renderThumbnail } from './thumbnails/render-thumbnail.js';
import { createUpload } from './uploads/create-upload.js';

export const OPERATIONS: readonly Operation[] = [
  listModels,
  uploadModel,
  createUpload,
  modelInfo,
  deleteModel,
  getConfig,
  setConfig,
  updateShowcase,
  publish,
  getEmbed,
  listLooks,
  createLook,
  updateLook,
  deleteLook,
  applyLook,
  listLayouts,
  createLayout,
  updateLayout,
  deleteLayout,
  renderThumbnail,
  renderPreview,
  feedback,
  accountInfo,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  upgradeAccount,
  claimSession,
  login,
  logout,
  listHdris,
  configSchema,
] as unknown as readonly Operation[];
