/** Version of the policy pack (the `since` of its rules; follows @meshkit/core's version). */
export const MESH_POLICY_PACK_VERSION = '0.1.0';
