import { GlueClient, type GlueClientConfig } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { MeshError, organisationSlug, type MeshConfig } from '@meshkit/contracts';

/** Suffix of the default registry name. */
export const REGISTRY_SUFFIX = '-data-contracts';
/** Default attempts per API call (throttling and 5xx are retried with the SDK's backoff). */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default time to establish a TCP/TLS connection to an endpoint, per attempt (ms). */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
/** Default time to wait for a response once the request is sent, per attempt (ms). Registry calls answer in well under a second. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Where and how the Glue backend talks to AWS. */
export interface GlueSettings {
  registryName: string;
  region: string;
  /** Glue endpoint; undefined = the regional AWS endpoint. */
  endpoint?: string;
  /** Lake Formation endpoint; undefined = the regional AWS endpoint. */
  lakeFormationEndpoint?: string;
  maxAttempts: number;
  /**
   * Per attempt: time to connect, in ms (a timed-out attempt is retried like a 5xx, within
   * {@link maxAttempts}), so an unreachable endpoint fails instead of hanging.
   * @default 3000 ({@link DEFAULT_CONNECTION_TIMEOUT_MS})
   */
  connectionTimeoutMs?: number;
  /**
   * Per attempt: time to wait for the response, in ms (an endpoint that accepts and never answers).
   * @default 15000 ({@link DEFAULT_REQUEST_TIMEOUT_MS})
   */
  requestTimeoutMs?: number;
}

/** The default registry of an organisation: `<organisation slug>-data-contracts`. */
export function defaultRegistryName(organisation: string): string {
  return `${organisationSlug(organisation) || 'meshkit'}${REGISTRY_SUFFIX}`;
}

/**
 * The settings of the Glue backend: `catalog.glue` of mesh.config.yaml, with environment
 * overrides `MESH_GLUE_REGION` / `MESH_GLUE_ENDPOINT`, and the standard `AWS_REGION` /
 * `AWS_DEFAULT_REGION` as the region's fallback.
 * @param requireRegion when false, a missing region becomes `us-east-1` (clients given explicitly). @default true
 * @throws MeshError `INVALID_CONFIG` (exit 2) when no region is configured anywhere.
 */
export function glueSettings(
  config: MeshConfig,
  env: NodeJS.ProcessEnv = process.env,
  requireRegion = true,
): GlueSettings {
  const glue = config.catalog?.glue ?? {};
  const region =
    env.MESH_GLUE_REGION ||
    glue.region ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    (requireRegion ? '' : 'us-east-1');
  if (!region) {
    throw new MeshError(
      'INVALID_CONFIG',
      'the Glue catalog needs an AWS region: set catalog.glue.region in mesh.config.yaml, or AWS_REGION (or MESH_GLUE_REGION) in the environment',
      { exitCode: 2 },
    );
  }
  const endpoint = env.MESH_GLUE_ENDPOINT || glue.endpoint || undefined;
  return {
    registryName: glue.registryName ?? defaultRegistryName(config.organisation),
    region,
    endpoint,
    lakeFormationEndpoint: glue.lakeFormationEndpoint ?? endpoint,
    maxAttempts: glue.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

/** Credentials for the clients. @default the default AWS credential provider chain */
export type GlueCredentials = NonNullable<GlueClientConfig['credentials']>;

/** SDK clients for the settings (HTTP/1.1 node handler with connection and request timeouts; the SDK's standard retry strategy with `maxAttempts`). */
export function glueClients(
  settings: GlueSettings,
  credentials?: GlueCredentials,
): { glue: GlueClient; lakeFormation: LakeFormationClient } {
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    throwOnRequestTimeout: true, // without it, smithy only logs a warning and keeps waiting
  });
  const common = {
    region: settings.region,
    maxAttempts: settings.maxAttempts,
    requestHandler,
    ...(credentials ? { credentials } : {}),
  };
  return {
    glue: new GlueClient({ ...common, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) }),
    lakeFormation: new LakeFormationClient({
      ...common,
      ...(settings.lakeFormationEndpoint ? { endpoint: settings.lakeFormationEndpoint } : {}),
    }),
  };
}
