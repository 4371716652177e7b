import path from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:data/heatwatch.db'),
  DATA_DIR: z.string().min(1).default('data'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('HEAT Watch <no-reply@localhost>'),
  TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z
    .string()
    .default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' || v === 'false' ? false : v === 'true' ? true : v)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  ONION_URL: z
    .string()
    .regex(/^http:\/\/[a-z2-7]{56}\.onion\/?$/, 'must be http://<56 letters and digits>.onion, the onion service address tor printed')
    .optional(),
  JOBS: z.enum(['on', 'off']).default('on'),
  SEED_DEMO: z.enum(['on', 'off']).default('on'),
  TIP_FOLLOW_UP_MESSAGES_PER_DAY: z.coerce.number().int().min(1).max(1000).default(20),
  TIP_FOLLOW_UP_MB_PER_DAY: z.coerce.number().int().min(1).max(1000).default(50),
  TIP_RECEIPT_WRONG_CODES_PER_HOUR: z.coerce.number().int().min(10).max(100_000).default(500),
  ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
});

export type Config = Readonly<{
  port: number;
  host: string;
  baseUrl: string;
  secure: boolean;
  databaseUrl: string;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  tileUrl: string;
  tileAttribution: string;
  trustProxy: boolean | string;
  logLevel: string;
  redisUrl: string | undefined;
  metricsToken: string | undefined;
  /**
   * The same site as a Tor onion service (`http://….onion`, no trailing slash): pages announce it
   * with `Onion-Location` and the tip form tells Tor Browser users about it.
   */
  onionUrl: string | undefined;
  runJobs: boolean;
  /** Fill empty tables with obviously fictitious demo records while the office is in demo mode. */
  seedDemo: boolean;
  /**
   * What one receipt may add through tip-line follow-up in a UTC day: enough for a person with
   * more to say and a few photos, too little for one anonymous client to fill the database.
   */
  followUpQuota: { messages: number; bytes: number };
  /**
   * Wrong receipt codes the whole tip line accepts in a UTC hour before it checks no more codes
   * until the hour ends (and tells the administrators): the bound on guessing when every client
   * shares one address, as onion users do. See docs/tip-line-privacy.md for the numbers.
   */
  receiptWrongCodesPerHour: number;
  /** argon2id runs (passwords, receipt codes) allowed at once; unset, one per CPU (`defaultArgon2Concurrency`). */
  argon2Concurrency: number | undefined;
  /** Fixed when tests build a config: rendering stays deterministic and no process-wide state leaks. */
  rootDir: string;
}>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const rootDir = path.resolve(import.meta.dirname, '..');

/** Reads the environment once; every problem is reported together so an operator fixes them in one pass. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const baseUrl = (e.BASE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    secure: baseUrl.startsWith('https://'),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(rootDir, e.DATA_DIR),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    tileUrl: e.TILE_URL,
    tileAttribution: e.TILE_ATTRIBUTION,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    metricsToken: e.METRICS_TOKEN,
    onionUrl: e.ONION_URL?.replace(/\/$/, ''),
    runJobs: e.JOBS === 'on',
    seedDemo: e.SEED_DEMO === 'on',
    followUpQuota: Object.freeze({ messages: e.TIP_FOLLOW_UP_MESSAGES_PER_DAY, bytes: e.TIP_FOLLOW_UP_MB_PER_DAY * 1024 * 1024 }),
    receiptWrongCodesPerHour: e.TIP_RECEIPT_WRONG_CODES_PER_HOUR,
    argon2Concurrency: e.ARGON2_CONCURRENCY,
    rootDir,
  });
}
