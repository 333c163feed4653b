// Reading Plek's users: pages fetched concurrently (the transport's default, 4 in flight) against the baseline of
// one page at a time, both in this process against the same sandbox with 20 ms latency per request.
import { client, median, report, sandbox, scimUsers, timed } from './common';

async function main() {
	const users = Number(process.env.BENCH_USERS ?? 5000);
	const box = await sandbox({ latencyMs: 20 });
	try {
		box.load({ users: scimUsers(users), groups: [] });
		const sequential: number[] = [];
		const concurrent: number[] = [];
		for (let round = 0; round < 3; round++) {
			const base = await timed(() => client(box, { concurrency: 1 }).listUsers());
			const fast = await timed(() => client(box, { concurrency: 4 }).listUsers());
			if (base.value.length !== users || fast.value.length !== users) {
				throw new Error(`expected ${users} users, got ${base.value.length} and ${fast.value.length}`);
			}
			sequential.push(base.ms);
			concurrent.push(fast.ms);
		}
		const baseMs = median(sequential);
		const fastMs = median(concurrent);
		report(`listUsers, ${users} users, 100 per page, 20 ms latency (median of 3)`, {
			'baseline: 1 page at a time (ms)': baseMs.toFixed(0),
			'concurrent pages, 4 in flight (ms)': fastMs.toFixed(0),
			'speed-up (baseline / concurrent)': (baseMs / fastMs).toFixed(2) + 'x',
		});
	} finally {
		await box.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
