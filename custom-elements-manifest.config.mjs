// @custom-elements-manifest/analyzer settings, used by `npm run manifest` and
// the check in `npm test`. `packagejson: false`: package.json already names
// the manifest, and the analyzer would otherwise rewrite it to point at
// wherever it last wrote (the check writes to .cem-check/).
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  litelement: true,
  packagejson: false,
};
