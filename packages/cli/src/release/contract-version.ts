// Moved to @meshkit/contracts (the catalog needs it too); re-exported for the release tooling.
export { readContractVersion, setContractVersion, versionPosition } from '@meshkit/contracts';
