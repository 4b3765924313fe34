// Stands in for `npm run demo` until apps/demo exists, so the README's second command already
// proves the toolchain bootstrap on a fresh machine.
process.stdout.write(
  [
    'dual-auth: the toolchain and workspace are ready.',
    'The demo (apps/demo: embedded IdP, both flows, the ALLOW/DENY table) is not built yet.',
    'Run `npm test` for the test suite.',
    '',
  ].join('\n'),
);
