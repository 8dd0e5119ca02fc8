import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssue, schemaIssues } from '../issues.js';
import { idSchema } from '../records/idSchema.js';
import { parseDuration } from '../time.js';
import { ServiceConfigError } from './ServiceConfigError.js';

const DURATION_EXPECTED = 'a duration such as 500ms, 90m, 24h, 1d12h, or integer ms';

const duration = z
  .union([z.int().min(0), z.string()], { error: DURATION_EXPECTED })
  .transform((value, context) => {
    const ms = parseDuration(/^\d+$/.test(String(value)) ? Number(value) : value);
    if (ms !== undefined) return ms;
    context.issues.push({ code: 'custom', input: value, message: DURATION_EXPECTED });
    return z.NEVER;
  });

const positiveDuration = duration.refine((ms) => ms > 0, { error: 'a duration above zero' });

const integer = (min: number, max: number) =>
  z
    .union([z.int(), z.string().regex(/^\d+$/)], { error: `an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.int().min(min).max(max));

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'true or false' })
  .transform((value) => value === true || value === 'true' || value === '1');

const token = z.string().min(16, { error: 'a token of at least 16 characters' });

/** One webhook target: where changes of the tags matching `tags` are delivered. */
const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an http or https URL' }),
  /** A glob over tag ids (`*` any run of characters); every tag when left out. */
  tags: z.string().min(1).default('*'),
  /** The key of the HMAC-SHA256 signature (`X-Uet-Signature: sha256=<hex>`). */
  secret: z.string().min(16, { error: 'a secret of at least 16 characters' }),
  /**
   * Where a target seen for the first time starts: `now`, the changes logged from then on;
   * `start`, every change the change log still keeps. A known target goes on from its cursor.
   */
  from: z.enum(['now', 'start']).default('now'),
});

/**
 * The service's configuration, checked: every field with its default. The same names are
 * used by the configuration file, the flags (kebab-case: `--body-limit`) and the
 * environment (`UET_TAG_BODY_LIMIT`).
 */
export const serviceConfigSchema = z.strictObject({
  /**
   * The SQLite file; ignored with `memory`. A `postgresql://` URL makes the node a
   * stateless front of a PostgreSQL cluster (see `createFrontService`).
   */
  db: z.string().min(1).default('uet-tag-monitor.db'),
  /** The PostgreSQL schema that holds the cluster, with a `postgresql://` `db`. */
  schema: z.string().min(1).max(63).default('uet'),
  /** Keep the state in memory only. */
  memory: flag.default(false),
  /**
   * SQLite's durability: `full` survives a power loss (an fsync per group commit); `normal`
   * survives a crash of the process (SIGKILL included) but may lose the last commits on a
   * power loss, with no fsync per commit.
   */
  synchronous: z.enum(['full', 'normal'], { error: 'full or normal' }).default('full'),
  host: z.string().min(1).default('127.0.0.1'),
  port: integer(0, 65_535).default(8080),
  activityWindow: positiveDuration.optional(),
  conversionWindow: positiveDuration.optional(),
  allowedSkew: duration.optional(),
  history: integer(0, 65_535).optional(),
  /**
   * How long a group commit waits for more inputs after the first, in ms. With 0 (the
   * default) a group is what arrived while the previous commit ran and in the same turn of
   * the event loop: under load, about one request per connection.
   */
  commitInterval: duration.default(0),
  /** The largest request body, in bytes. */
  bodyLimit: integer(1, 1 << 30).default(1_048_576),
  /** How long a request may take, headers and body included (slowloris). */
  requestTimeout: positiveDuration.default(10_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Log client addresses, user agents and request targets (off: no personal data in logs). */
  logPersonalData: flag.default(false),
  writeToken: token.optional(),
  readToken: token.optional(),
  adminToken: token.optional(),
  /** Conversions API tokens by tag id: `POST /v1/{tagId}/events` needs `Authorization: Bearer <token>`. */
  capiTokens: z.record(idSchema, token).default({}),
  webhooks: z.array(webhookSchema).default([]),
  /** How long one webhook delivery may take. */
  webhookTimeout: positiveDuration.default(5_000),
  /** Attempts before a delivery is dead-lettered. */
  webhookAttempts: integer(1, 100).default(8),
  /** The first retry's delay; each next one doubles, up to an hour. */
  webhookBackoff: positiveDuration.default(1_000),
  /** Warn when a tag turns Inactive within this long if nothing arrives. */
  warnBefore: positiveDuration.optional(),
  /** Export one next-deadline series per tag on /metrics (cardinality: one per tag). */
  metricsPerTag: flag.default(false),
  /** Keep the latest N changes in the change log (SSE and webhooks resume from it). */
  changeLogLimit: integer(1, 100_000_000).default(1_000_000),
});

export { isPostgresUrl } from '../postgres/isPostgresUrl.js';

/** The service's configuration, checked, with its defaults. */
export type ServiceConfig = z.output<typeof serviceConfigSchema>;

/** A configuration field's name in the environment: `bodyLimit` → `UET_TAG_BODY_LIMIT`. */
export function environmentName(field: string): string {
  return `UET_TAG_${field.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/** The fields the environment may set: every scalar one (lists and maps go in the file). */
const ENVIRONMENT_FIELDS = Object.keys(serviceConfigSchema.shape).filter(
  (field) => field !== 'webhooks' && field !== 'capiTokens',
);

/**
 * Reads the service's configuration: the file (JSON or YAML) when one is named, then the
 * environment (`UET_TAG_*`), then the flags, each overriding the one before, checked as a
 * whole.
 *
 * @example
 * ```ts
 * loadServiceConfig({ flags: { port: 0, memory: true }, environment: process.env });
 * ```
 * @throws {@link ServiceConfigError} naming every bad field and where it came from.
 */
export function loadServiceConfig(sources: {
  readonly file?: string;
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly flags?: Readonly<Record<string, unknown>>;
}): ServiceConfig {
  const fromFile = sources.file === undefined ? {} : readConfigFile(sources.file);
  const fromEnvironment: Record<string, string> = {};
  for (const field of ENVIRONMENT_FIELDS) {
    const value = sources.environment?.[environmentName(field)];
    if (value !== undefined && value !== '') fromEnvironment[field] = value;
  }
  const fromFlags = Object.fromEntries(
    Object.entries(sources.flags ?? {}).filter(([, value]) => value !== undefined),
  );
  const merged = { ...fromFile, ...fromEnvironment, ...fromFlags };
  const result = serviceConfigSchema.safeParse(merged, { reportInput: true });
  if (result.success) return result.data;
  const issues = schemaIssues(result.error, 'config').map((issue) => {
    const field = issue.path.split(/[.[]/)[0] ?? '';
    const origin =
      field in fromFlags
        ? 'flag'
        : field in fromEnvironment
          ? environmentName(field)
          : (sources.file ?? 'config');
    return `${formatIssue(issue)} (from ${origin})`;
  });
  throw new ServiceConfigError(issues);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServiceConfigError([`${file}: cannot be read (${(error as Error).message})`]);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ServiceConfigError([`${file}: not JSON or YAML (${(error as Error).message})`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceConfigError([`${file}: expected an object of settings`]);
  }
  return value as Record<string, unknown>;
}
