// Errors of the Glue Schema Registry backend: which AWS errors mean what, and how they reach the user.
import { MeshError } from '@meshkit/contracts';

/** The entity does not exist. */
export const isNotFound = (e: unknown): boolean => (e as { name?: string })?.name === 'EntityNotFoundException';
/** The entity exists already (created concurrently, or by a retried call). */
export const isAlreadyExists = (e: unknown): boolean => (e as { name?: string })?.name === 'AlreadyExistsException';

/** A published version whose content differs from the record's. */
export function conflict(label: string, schemaName: string): MeshError {
  return new MeshError(
    'CATALOG_VERSION_CONFLICT',
    `${label} is already published in schema ${schemaName} with different content; published versions are immutable: bump the version`,
    { exitCode: 1 },
  );
}

/** MeshErrors pass through; AWS API errors become `CATALOG_AWS` (exit 2) with the service's message. */
export function awsError(e: unknown, label: string): unknown {
  if (e instanceof MeshError) return e;
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  if (err && typeof err === 'object' && err.$metadata) {
    const attempts = err.$metadata.attempts ? ` after ${err.$metadata.attempts} attempt(s)` : '';
    // No HTTP status: the request never got an answer (connection refused or reset, timeout, DNS).
    const what = err.$metadata.httpStatusCode
      ? 'AWS Glue refused the call'
      : 'cannot reach AWS Glue (check catalog.glue.endpoint / MESH_GLUE_ENDPOINT, the region and the network)';
    if (/Deserialization error/.test(err.message ?? '')) {
      // The endpoint answered, but not with an AWS API response (e.g. an emulator's HTML error page for an operation it does not implement).
      return new MeshError(
        'CATALOG_AWS',
        `${label}: the endpoint answered HTTP ${err.$metadata.httpStatusCode ?? '?'}${attempts} with a body that is not an AWS Glue response: is catalog.glue.endpoint / MESH_GLUE_ENDPOINT an AWS Glue endpoint that implements this call? (${(err.message ?? '').split('\n')[0]})`,
        { exitCode: 2 },
      );
    }
    return new MeshError('CATALOG_AWS', `${label}: ${what}${attempts}: ${err.name ?? 'Error'}: ${err.message ?? ''}`, {
      exitCode: 2,
    });
  }
  if (
    err &&
    typeof err === 'object' &&
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|credential/i.test(String(err.message ?? '') + String(err.name ?? ''))
  ) {
    return new MeshError('CATALOG_AWS', `${label}: cannot reach AWS Glue: ${err.message ?? String(e)}`, {
      exitCode: 2,
    });
  }
  return e;
}
