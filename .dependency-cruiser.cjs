/**
 * The architecture, checked by `npm test` (npm run check:arch). Each rule's name and comment are what a
 * violation prints, so they say the rule in plain words. See README "Layout" and STYLE.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-channel-sdk',
      severity: 'error',
      comment: 'src/core is channel-neutral: it must not import a channel SDK (grammy, @grammyjs/*, botbuilder*, @microsoft/*). Put channel code in bots/*.',
      from: { path: '^src/core/' },
      to: { path: '(^|/)node_modules/(grammy|@grammyjs/|botbuilder|@microsoft/)' },
    },
    {
      name: 'prisma-only-in-store',
      severity: 'error',
      comment: 'Only src/store talks to the database: nothing else may import Prisma (@prisma/*, the prisma package or the generated client in src/store/generated).',
      from: { pathNot: '^(src/store/|prisma\\.config\\.ts$)' },
      to: { path: ['(^|/)node_modules/(@prisma/|prisma/)', '^src/store/generated/'] },
    },
    {
      name: 'bots-never-import-store',
      severity: 'error',
      comment: 'Adapters in bots/* reach the data only through the core (ChannelDeps): they must not import src/store.',
      from: { path: '^bots/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'no-circular-imports',
      severity: 'error',
      comment: 'Modules must not import each other in a circle: move the shared part into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^src/store/generated/', '(^|/)node_modules/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
