// Fails fast when npm scripts run on a Node older than 22.19 (e.g. `npm ci --ignore-scripts`
// skipped the `node` devDependency that provides Node 24).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `healer needs Node >= 22.19 (found ${process.versions.node}). ` +
      'Run `npm ci` without --ignore-scripts so the node@24 devDependency installs, then use `npm run …`.',
  );
  process.exit(1);
}
