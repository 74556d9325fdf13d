// ESLint for the whole repository (each package's `lint` task runs `eslint .` in its directory and
// finds this file); the rules live in @meshkit/eslint-config (packages/eslint-config).
export { default } from '@meshkit/eslint-config';
