// A first sync of N people (creates + group memberships) with SCIM Bulk against the baseline of one request per
// user, both in this process against fresh sandboxes with 5 ms latency; then a second run on unchanged input,
// which must write nothing.
import { syncOnce } from '../core/sync/executor';
import { client, people, report, sandbox, timed } from './common';

async function firstSync(n: number, useBulk: 'auto' | 'never') {
	const box = await sandbox({ latencyMs: 5 });
	try {
		const records = people(n);
		const groups = [...new Set(records.flatMap((r) => r.groups ?? []))];
		const plek = client(box);
		for (const name of groups) await plek.createGroup(name);
		box.resetCounters();
		const first = await timed(() => syncOnce(records, plek, { useBulk }));
		const writesFirst = box.counters().writes;
		box.resetCounters();
		const second = await timed(() => syncOnce(records, client(box), { useBulk }));
		return {
			ms: first.ms,
			requests: first.value.summary.requests,
			writes: writesFirst,
			created: first.value.summary.done.create,
			failed: first.value.summary.failed,
			secondWrites: box.counters().writes,
			secondMs: second.ms,
		};
	} finally {
		await box.close();
	}
}

async function main() {
	const n = Number(process.env.BENCH_USERS ?? 2000);
	const base = await firstSync(n, 'never');
	const bulk = await firstSync(n, 'auto');
	for (const run of [base, bulk]) {
		if (run.created !== n || run.failed !== 0 || run.secondWrites !== 0) {
			throw new Error(`sync did not converge: ${JSON.stringify(run)}`);
		}
	}
	report(`first sync of ${n} people, 5 ms latency`, {
		'baseline: one request per user (ms)': base.ms.toFixed(0),
		'baseline HTTP requests': base.requests,
		'with SCIM Bulk (ms)': bulk.ms.toFixed(0),
		'with SCIM Bulk HTTP requests': bulk.requests,
		'speed-up (baseline / bulk)': (base.ms / bulk.ms).toFixed(2) + 'x',
		'request ratio (baseline / bulk)': (base.requests / bulk.requests).toFixed(1) + 'x',
		'second run: writes (must be 0)': bulk.secondWrites,
		'second run (ms)': bulk.secondMs.toFixed(0),
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
