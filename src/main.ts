import { main } from './cli/index.js';

/** Process edge: `npm start` runs `node dist/main.js serve`. */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`healer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
