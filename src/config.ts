/**
 * Environment → frozen Config. The only file that reads process.env; everything else receives
 * the parsed Config. Invalid settings fail at start with a message naming the variable.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { PlanTable } from './core/plans.js';

const MB = 1024 * 1024;
const MINUTE = 60_000;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = z.coerce.number().int();

const EnvSchema = z.object({
  VITRINE_DATA_DIR: z.string().default('./data'),
  VITRINE_PORT: int.min(0).max(65535).default(8787),
  VITRINE_HOST: z.string().default('127.0.0.1'),
  VITRINE_PUBLIC_URL: z.url().optional(),
  VITRINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VITRINE_HDRI_DIR: z.string().optional(),
  VITRINE_FEEDBACK_WEBHOOK_URL: z.url().optional(),
  VITRINE_ALLOW_PRIVATE_URLS: bool.default(false),
  VITRINE_ALLOW_SIGNUP: bool.default(true),
  VITRINE_TRUST_PROXY: z.string().optional(),
  VITRINE_ANON_TTL_HOURS: z.coerce.number().positive().default(48),
  VITRINE_RATE_ANON_PER_MIN: int.positive().default(20),
  VITRINE_RATE_FREE_PER_MIN: int.positive().default(60),
  VITRINE_RATE_PRO_PER_MIN: int.positive().default(300),
  VITRINE_MAX_FILE_MB_ANON: z.coerce.number().positive().default(25),
  VITRINE_MAX_FILE_MB_FREE: z.coerce.number().positive().default(100),
  VITRINE_MAX_FILE_MB_PRO: z.coerce.number().positive().default(500),
  VITRINE_MAX_MODELS_ANON: int.positive().default(3),
  VITRINE_MAX_MODELS_FREE: int.positive().default(25),
  VITRINE_MAX_MODELS_PRO: int.positive().default(1000),
  VITRINE_MAX_STORAGE_MB_ANON: z.coerce.number().positive().default(75),
  VITRINE_MAX_STORAGE_MB_FREE: z.coerce.number().positive().default(1024),
  VITRINE_MAX_STORAGE_MB_PRO: z.coerce.number().positive().default(51200),
  VITRINE_MAX_INLINE_UPLOAD_MB: z.coerce.number().positive().default(8),
  VITRINE_API_KEY: z.string().optional(),
  VITRINE_MCP_READ_ONLY: bool.default(false),
  VITRINE_MCP_TOOLSETS: z.string().optional(),
  VITRINE_MCP_ALLOWED_HOSTS: z.string().optional(),
  VITRINE_RENDER_TIMEOUT_MS: int.positive().default(30_000),
  VITRINE_RENDER_QUEUE: int.positive().default(8),
  VITRINE_RENDER_PAGES: int.positive().default(1),
  VITRINE_THUMBNAILS_ON_UPLOAD: bool.default(true),
  CHROME_PATH: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  SUPABASE_URL: z.url().optional(),
  SUPABASE_JWT_SECRET: z.string().optional(),
  VITRINE_S3_BUCKET: z.string().optional(),
  VITRINE_S3_ENDPOINT: z.url().optional(),
  VITRINE_S3_REGION: z.string().default('us-east-1'),
  VITRINE_S3_ACCESS_KEY_ID: z.string().optional(),
  VITRINE_S3_SECRET_ACCESS_KEY: z.string().optional(),
  VITRINE_S3_FORCE_PATH_STYLE: bool.default(true),
});

export type Config = ReturnType<typeof loadConfig>;

const CHROME_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The package root, found the same way from src/ (tests) and from dist/src/ (built). */
export function projectRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('vitrine: package.json not found above ' + import.meta.url);
    dir = parent;
  }
  return dir;
}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.SUPABASE_JWT_SECRET && !e.SUPABASE_URL) {
    // Supabase HS256 tokens carry iss = <SUPABASE_URL>/auth/v1; without it the issuer can't be pinned.
    throw new Error('Invalid configuration:\n  SUPABASE_JWT_SECRET: needs SUPABASE_URL too, so the token issuer can be checked');
  }
  const dataDir = path.resolve(e.VITRINE_DATA_DIR);
  const plans: PlanTable = {
    anonymous: {
      rate: { limit: e.VITRINE_RATE_ANON_PER_MIN, periodMs: MINUTE },
      maxModels: e.VITRINE_MAX_MODELS_ANON,
      maxTotalBytes: Math.round(e.VITRINE_MAX_STORAGE_MB_ANON * MB),
      maxFileBytes: Math.round(e.VITRINE_MAX_FILE_MB_ANON * MB),
    },
    free: {
      rate: { limit: e.VITRINE_RATE_FREE_PER_MIN, periodMs: MINUTE },
      maxModels: e.VITRINE_MAX_MODELS_FREE,
      maxTotalBytes: Math.round(e.VITRINE_MAX_STORAGE_MB_FREE * MB),
      maxFileBytes: Math.round(e.VITRINE_MAX_FILE_MB_FREE * MB),
    },
    pro: {
      rate: { limit: e.VITRINE_RATE_PRO_PER_MIN, periodMs: MINUTE },
      maxModels: e.VITRINE_MAX_MODELS_PRO,
      maxTotalBytes: Math.round(e.VITRINE_MAX_STORAGE_MB_PRO * MB),
      maxFileBytes: Math.round(e.VITRINE_MAX_FILE_MB_PRO * MB),
    },
  };
  const publicUrl = (e.VITRINE_PUBLIC_URL ?? `http://${e.VITRINE_HOST === '0.0.0.0' ? '127.0.0.1' : e.VITRINE_HOST}:${e.VITRINE_PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    dataDir,
    port: e.VITRINE_PORT,
    host: e.VITRINE_HOST,
    publicUrl,
    /** True when VITRINE_PUBLIC_URL was not set: the URL follows the port actually bound. */
    publicUrlFromListen: !e.VITRINE_PUBLIC_URL,
    logLevel: e.VITRINE_LOG_LEVEL,
    trustProxy: e.VITRINE_TRUST_PROXY ?? null,
    hdriDir: e.VITRINE_HDRI_DIR ? path.resolve(e.VITRINE_HDRI_DIR) : path.join(dataDir, 'hdri'),
    feedbackWebhookUrl: e.VITRINE_FEEDBACK_WEBHOOK_URL ?? null,
    allowPrivateUrls: e.VITRINE_ALLOW_PRIVATE_URLS,
    allowSignup: e.VITRINE_ALLOW_SIGNUP,
    anonymousTtlMs: e.VITRINE_ANON_TTL_HOURS * 3_600_000,
    uploadTtlMs: 3_600_000,
    maxInlineUploadBytes: Math.round(e.VITRINE_MAX_INLINE_UPLOAD_MB * MB),
    plans,
    mcp: {
      apiKey: e.VITRINE_API_KEY ?? null,
      readOnly: e.VITRINE_MCP_READ_ONLY,
      toolsets: e.VITRINE_MCP_TOOLSETS ? e.VITRINE_MCP_TOOLSETS.split(',').map((s) => s.trim()).filter(Boolean) : null,
      allowedHosts: e.VITRINE_MCP_ALLOWED_HOSTS ? e.VITRINE_MCP_ALLOWED_HOSTS.split(',').map((s) => s.trim()) : null,
    },
    render: {
      chromePath: e.CHROME_PATH ?? CHROME_CANDIDATES.find((p) => existsSync(p)) ?? null,
      timeoutMs: e.VITRINE_RENDER_TIMEOUT_MS,
      queueSize: e.VITRINE_RENDER_QUEUE,
      pages: e.VITRINE_RENDER_PAGES,
      onUpload: e.VITRINE_THUMBNAILS_ON_UPLOAD,
    },
    databaseUrl: e.DATABASE_URL ?? null,
    supabase: { url: e.SUPABASE_URL ?? null, jwtSecret: e.SUPABASE_JWT_SECRET ?? null },
    s3: e.VITRINE_S3_BUCKET
      ? {
          bucket: e.VITRINE_S3_BUCKET,
          endpoint: e.VITRINE_S3_ENDPOINT ?? null,
          region: e.VITRINE_S3_REGION,
          accessKeyId: e.VITRINE_S3_ACCESS_KEY_ID ?? null,
          secretAccessKey: e.VITRINE_S3_SECRET_ACCESS_KEY ?? null,
          forcePathStyle: e.VITRINE_S3_FORCE_PATH_STYLE,
        }
      : null,
    /** Where the build writes the viewer bundle, decoders and HDRIs. */
    publicDir: path.join(projectRoot(), 'dist', 'public'),
  });
}
