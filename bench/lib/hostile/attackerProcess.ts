/**
 * A hostile client process: `node attackerProcess.js <attack> <endpoint>
 * <token> <scratch> <durationMs>`. Runs the named attack, prints its report
 * as one JSON line and exits; its leaving is part of the attack.
 */
import { attackNamed } from './attacks';

const [name, endpoint, token, scratch, durationMs] = process.argv.slice(2);
attackNamed(name!)
  .run({ endpoint: endpoint!, token: token!, scratch: scratch!, durationMs: Number(durationMs) })
  .then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
    },
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`, () => process.exit(1));
    },
  );
