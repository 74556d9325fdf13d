import { violation, type PolicyRule } from '../../rule.js';
import { asArray, isObject, path } from '../../refs.js';
import { BUCKET } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Metadata key DataProduct writes on its curated bucket: `{ domain, product, classification, criticality, zone? }`. */
export const PRODUCT_METADATA_KEY = 'meshkit:product';

/** Curated zones of critical products replicate to another region. */
export const CriticalReplicationRule: PolicyRule = {
  id: 'MESH-DR-CRITICAL-REPLICATION',
  area: 'DR',
  title: 'The curated zone of a critical product has an enabled ReplicationConfiguration',
  rationale:
    'Products marked `criticality: critical` promise recovery from a regional outage; their curated data must be replicated. A product bucket is recognised by the Metadata entry `meshkit:product` that DataProduct writes on its curated bucket (`criticality: "critical"`; `zone`, when present, must be `curated`).',
  fix: 'Give the critical DataProduct a replica target (replicaRegion / replica bucket and key); it configures cross-region replication of the curated zone.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET],
  check(bucket) {
    const meta = bucket.metadata[PRODUCT_METADATA_KEY];
    if (!isObject(meta) || meta.criticality !== 'critical' || (meta.zone !== undefined && meta.zone !== 'curated'))
      return 'not-applicable';
    const rules = asArray(path(bucket.properties, 'ReplicationConfiguration', 'Rules'));
    return rules.some((r) => path(r, 'Status') === 'Enabled')
      ? 'compliant'
      : violation('curated bucket of a critical product has no enabled ReplicationConfiguration rule');
  },
};
