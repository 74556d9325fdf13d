import semver from 'semver';
import type { LintRule } from '../types.js';

/** CONTRACT-VERSION-SEMVER: `version` is a semantic version. */
export const contractVersionSemver: LintRule = {
  id: 'CONTRACT-VERSION-SEMVER',
  defaultSeverity: 'error',
  rationale: 'The contract version is the package version and drives the breaking-change gate, so it must be semver.',
  description:
    '`version` must be a strict semantic version 2.0.0 string such as `1.4.0` or `2.0.0-rc.1`: three numbers, ' +
    'optional pre-release and build parts, no leading `v` or `=`, no surrounding spaces.',
  *check({ contract }) {
    const v = contract.version;
    if (typeof v === 'string' && semver.valid(v) !== null && /^[0-9]/.test(v) && v === v.trim()) return;
    yield {
      path: ['version'],
      message: `version ${JSON.stringify(v)} is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.0.0)`,
    };
  },
};
