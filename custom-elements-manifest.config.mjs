// @custom-elements-manifest/analyzer settings, used by `npm run manifest` and
// the check in `npm test`. `packagejson: false`: package.json already names
// the manifest, and the analyzer would otherwise rewrite it to point at
// wherever it last wrote (the check writes to .cem-check/).
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  litelement: true,
  packagejson: false,
  plugins: [defineCalls(), noTypeOnlyExports(), modulesInPathOrder()],
};

/**
 * The analyzer only reads `customElements.define('tag', Class)`. We register
 * through the tolerant `define('tag', Class)` of src/elements/internal, so this
 * records each such call in a define module as a `custom-element-definition`
 * (what tools read to know which module registers a tag), and drops the one
 * the analyzer reads inside `define()` itself, whose `tag` is a parameter.
 */
function defineCalls() {
  return {
    name: 'moneysocket-define-calls',
    analyzePhase({ts, node, moduleDoc, context}) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, element] = node.arguments;
      if (!tag || !element || !ts.isStringLiteral(tag) || !ts.isIdentifier(element)) return;
      const imported = context.imports?.find((i) => i.name === element.text && !i.isBareModuleSpecifier);
      // The class's module as the manifest names it (`src/elements/ms-consumer.ts`), not as imported (`../ms-consumer.js`).
      const module = imported ? new URL(imported.importPath, `file:///${moduleDoc.path}`).pathname.slice(1).replace(/\.js$/, '.ts') : moduleDoc.path;
      const definition = {kind: 'custom-element-definition', name: tag.text, declaration: {name: element.text, module}};
      moduleDoc.exports = [...(moduleDoc.exports ?? []), definition];
    },
    moduleLinkPhase({moduleDoc}) {
      if (!moduleDoc.path.startsWith('src/elements/internal/')) return;
      moduleDoc.exports = moduleDoc.exports?.filter((e) => e.kind !== 'custom-element-definition');
    },
  };
}

/**
 * The analyzer lists `export type {…}` re-exports as JavaScript exports. The
 * manifest describes what a module exports at run time, so type-only names
 * (the event detail interfaces re-exported by the element entries) are dropped.
 */
function noTypeOnlyExports() {
  const typeOnly = new Map();
  return {
    name: 'moneysocket-no-type-only-exports',
    analyzePhase({ts, node, moduleDoc}) {
      if (!ts.isExportDeclaration(node) || !node.exportClause || !ts.isNamedExports(node.exportClause)) return;
      const names = node.exportClause.elements.filter((e) => node.isTypeOnly || e.isTypeOnly).map((e) => e.name.text);
      if (names.length > 0) typeOnly.set(moduleDoc.path, new Set([...(typeOnly.get(moduleDoc.path) ?? []), ...names]));
    },
    moduleLinkPhase({moduleDoc}) {
      const names = typeOnly.get(moduleDoc.path);
      if (names) moduleDoc.exports = moduleDoc.exports?.filter((e) => e.kind !== 'js' || !names.has(e.name));
    },
  };
}

/**
 * The analyzer lists modules in the order the file system returns them, which
 * differs between machines (CI's clean clone listed src/elements/define/
 * after internal/). Sorting by path makes the manifest the same everywhere,
 * so the check in `npm test` compares content, not directory order.
 */
function modulesInPathOrder() {
  return {
    name: 'moneysocket-modules-in-path-order',
    packageLinkPhase({customElementsManifest}) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}
