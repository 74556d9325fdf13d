// Barrel of src/package: contract packages (what consumers install: types, precompiled
// validators, JSON Schema and contract of the current and every served major).
export {
  buildContractPackage,
  type ContractPackageOptions,
  type ContractPackageEntry,
  type ContractPackageResult,
} from './build-contract-package.js';
export {
  packageModule,
  primaryObjectIndex,
  entrySource,
  declarationSource,
  PRIMARY_RECORD_TYPE,
  type PackageModule,
  type PackagedObject,
} from './module-source.js';
export {
  bundleModule,
  standaloneValidatorSource,
  PACKAGE_AJV_OPTIONS,
  type BundledValidator,
} from './validator-bundle.js';
