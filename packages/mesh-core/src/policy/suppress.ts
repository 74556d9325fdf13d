import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import {
  MIN_REASON_LENGTH,
  SUPPRESSION_EXPIRED_ID,
  SUPPRESSION_INVALID_ID,
  SUPPRESSION_TOO_LONG_ID,
  SUPPRESSIONS_METADATA_KEY,
  expiryInstant,
  type Suppression,
} from './suppression.js';

/** Options of {@link suppress}. */
export interface SuppressOptions {
  /** Why the violation is acceptable (at least 10 characters); shown in every report. */
  readonly reason: string;
  /**
   * ISO date (`YYYY-MM-DD`, valid through that day UTC) or date-time with zone. After it the
   * suppression no longer applies and is itself an error (MESH-SUPPRESSION-EXPIRED). At most the
   * platform's `policy.maxSuppressionDays` (mesh.config.yaml, default 180) days from the synth:
   * a later date suppresses nothing and is an error (MESH-SUPPRESSION-TOO-LONG).
   */
  readonly expires: string;
}

const RULE_ID = /^MESH-[A-Z]+(-[A-Z0-9]+)+$/;

/**
 * Suppresses one rule on one resource: writes `{ ruleId, reason, expires }` into the
 * `meshkit:suppressions` Metadata of the CloudFormation resource (`construct` itself when it is
 * an L1, else its `node.defaultChild`), so the suppression travels with the template and is
 * seen by the post-synth validation and `mesh policy report`.
 *
 * @throws MeshError (USAGE) at call time: unknown id shape, reason shorter than 10 characters,
 * `expires` not an ISO date, or a construct without a CloudFormation resource.
 */
export function suppress(construct: IConstruct, ruleId: string, options: SuppressOptions): void {
  const where = `suppress(${construct.node.path}, ${ruleId})`;
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw new MeshError('USAGE', `${where}: ruleId must be a policy rule id like MESH-ENC-S3`);
  }
  if (ruleId === SUPPRESSION_EXPIRED_ID || ruleId === SUPPRESSION_INVALID_ID || ruleId === SUPPRESSION_TOO_LONG_ID) {
    throw new MeshError('USAGE', `${where}: ${ruleId} cannot be suppressed; renew or fix the suppression instead`);
  }
  const reason = typeof options?.reason === 'string' ? options.reason.trim() : '';
  if (reason.length < MIN_REASON_LENGTH) {
    throw new MeshError('USAGE', `${where}: reason is required (at least ${MIN_REASON_LENGTH} characters)`);
  }
  if (expiryInstant(options.expires) === undefined) {
    throw new MeshError(
      'USAGE',
      `${where}: expires must be an ISO date (YYYY-MM-DD) or date-time, got ${JSON.stringify(options.expires)}`,
    );
  }
  const cfn = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new MeshError(
      'USAGE',
      `${where}: the construct has no CloudFormation resource (defaultChild); suppress on the L1 resource instead`,
    );
  }
  const existing = cfn.getMetadata(SUPPRESSIONS_METADATA_KEY);
  const list: Suppression[] = (Array.isArray(existing) ? (existing as Suppression[]) : []).filter(
    (s) => s.ruleId !== ruleId,
  );
  list.push({ ruleId, reason, expires: options.expires });
  cfn.addMetadata(SUPPRESSIONS_METADATA_KEY, list);
}
