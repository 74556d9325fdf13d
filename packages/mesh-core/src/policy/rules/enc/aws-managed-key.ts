/** True for a literal reference to an AWS managed key alias (`alias/aws/...`), which is not a CMK. */
export const isAwsManagedKey = (keyId: unknown): boolean => typeof keyId === 'string' && /(^|:)alias\/aws\//.test(keyId);
