// Mapping (issue 12 item 1): the Plek Mapper node's execute on N AD-shaped records (default 100,000) with the Active
// Directory template's rules, against three baselines in this process on the same records:
//   - plain jsonata compiled once: each rule `jsonata(expr)` with the same helpers, evaluated per record, no checks;
//   - hand-written JavaScript (the floor): the same rules as code, helpers called directly;
//   - compile per record: plain jsonata compiling every rule for every record (on a sample, scaled to N).
// The node's real execute runs with a minimal IExecuteFunctions (bench/nodeContext.ts: n8n-workflow's parameter defaults). Every
// baseline's records are compared with the node's, so a fast but wrong path fails the run.
// A second rule set keeps the template's shape but uses only forms the fast path does not take; there the node
// is measured against plain jsonata on the same rules (target: within 1.2x). Targets: node >= 3x plain jsonata.
// Measured as shipped: the measurements (bench/mapper.measure.ts) are bundled by esbuild the way gulpfile.js bundles
// the node, node and baselines in one bundle with one jsonata (bench/bundled.ts), then run in a child process; under
// tsx every cross-module call of the node went through a getter the published bundle does not have.
// Prints a table, writes bench/results/mapper.json.
//   BENCH_RECORDS=n (default 100000)  BENCH_ROUNDS=r (default 3)  BENCH_SAMPLE=n (compile per record, default 2000)
//   A CPU profile of the bundle: NODE_OPTIONS=--cpu-prof (the child inherits the environment).
import { join } from 'node:path';

import { runBundled } from './bundled';

runBundled(join(__dirname, 'mapper.measure.ts'));
