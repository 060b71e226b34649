// The import rules of atomik-gen, checked by `npm test` (test/architecture.test.ts, through dependency-cruiser's API:
// its CLI needs Node 22+ and a TypeScript compiler API, which the test lends it from ts-morph's TypeScript 6).

// The folder order, lowest first. A module may import only from its own folder or from folders earlier in this list:
// boards/ < generator/{common, protocol, clocking, design, tools, rtl, vendors, plan, report, run}/ < sim/ < verify/
// < host/ < cli/, bench/ and the root index.ts (the package API), which share the top rung.
// host/ is stricter still: it may import only generator/protocol/ and generator/common/ (see `host-protocol-only`).
const ORDER = [
  ['boards/'],
  ['generator/common/'],
  ['generator/protocol/'],
  ['generator/clocking/'],
  ['generator/design/'],
  ['generator/tools/'],
  ['generator/rtl/'],
  ['generator/vendors/'],
  ['generator/plan/'],
  ['generator/report/'],
  ['generator/run/'],
  ['sim/'],
  ['verify/'],
  ['host/'],
  ['cli/', 'bench/', 'index.ts'],
];

// Tests may import anything; they only have to stay out of import cycles.
const TESTS = '\\.test\\.ts$|^test/';

/** The path pattern of some folders (`boards/`) or root files (`index.ts`). */
const pattern = (folders) => folders.map((f) => `^${f.replace(/\./g, '\\.')}${f.endsWith('/') ? '' : '$'}`).join('|');
const ruleName = (folder) => folder.replace(/\/$/, '').replace(/[/.]/g, '-');

const orderRules = ORDER.flatMap((rung, i) =>
  rung
    .filter((folder) => folder !== 'host/')
    .map((folder) => ({
      name: `order-${ruleName(folder)}`,
      severity: 'error',
      comment: `${folder} imports a folder above or beside it in the order of .dependency-cruiser.cjs: move the shared code down to ${folder} or lower, or pass it in from above`,
      from: { path: pattern([folder]), pathNot: TESTS },
      to: { path: pattern([...rung.filter((f) => f !== folder), ...ORDER.slice(i + 1).flat()]) },
    })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'These modules import each other (type-only imports count): move what both need into one module lower down',
      from: {},
      to: { circular: true },
    },
    ...orderRules,
    {
      name: 'host-protocol-only',
      severity: 'error',
      comment: 'host/ imports more than generator/protocol/ and generator/common/: move the wire-level fact it needs into generator/protocol/',
      from: { path: pattern(['host/']), pathNot: TESTS },
      to: { path: pattern(ORDER.flat().filter((f) => !['host/', 'generator/protocol/', 'generator/common/'].includes(f))) },
    },
  ],
  options: {
    exclude: { path: '(^|/)(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
