/** Runs `worker` over `items` with at most `limit` in flight (the executor's phases, the transport's writes). Workers must not throw. */
export async function runPool<T>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const size = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	const runners: Array<Promise<void>> = [];
	for (let r = 0; r < size; r++) {
		runners.push(
			(async () => {
				while (next < items.length) {
					const index = next++;
					await worker(items[index], index);
				}
			})(),
		);
	}
	await Promise.all(runners);
}
