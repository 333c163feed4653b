// Dev tooling: see ../eslint.dev-tooling.mjs.
export { default } from '../eslint.dev-tooling.mjs';
