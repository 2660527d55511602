/** Layers point one way: core <- db <- app <- server/cli; contracts <- server, web, cli. */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'core-is-pure', severity: 'error', comment: 'core imports only core (and pure libraries)',
      from: { path: '^src/core/' }, to: { path: '^src/(contracts|db|app|server|cli)/' } },
    { name: 'contracts-are-leaves', severity: 'error',
      from: { path: '^src/contracts/' }, to: { path: '^src/(db|app|server|cli)/' } },
    { name: 'db-below-app', severity: 'error',
      from: { path: '^src/db/' }, to: { path: '^src/(app|server|cli|contracts)/' } },
    { name: 'app-below-edges', severity: 'error',
      from: { path: '^src/app/' }, to: { path: '^src/(server|cli)/' } },
    { name: 'server-not-cli', severity: 'error', from: { path: '^src/server/' }, to: { path: '^src/cli/' } },
    { name: 'web-only-contracts', severity: 'error', comment: 'web never imports db, app, server or cli',
      from: { path: '^web/' }, to: { path: '^src/(db|app|server|cli)/' } },
    { name: 'not-to-test', severity: 'error', from: { pathNot: '\\.test\\.tsx?$|^test/' }, to: { path: '\\.test\\.tsx?$|^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'web/dist|node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
