// `turbo gen domain|product`: the plop generators of generators/plopfile.mjs (needs @turbo/gen as
// a root devDependency; turbo gen runs offline once it is installed).
export { default } from '../../generators/plopfile.mjs';
