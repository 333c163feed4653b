// The shared gate: a 429 pauses and slows the whole client, with jitter; the pace recovers gradually.
import { Limiter } from '../../transport/limiter';
import { fakeTime } from './helpers';

function gate(options: { concurrency?: number; cap?: number; random?: () => number } = {}) {
	const time = fakeTime(0);
	const limiter = new Limiter(options.concurrency ?? 4, options.cap ?? 0, time.sleep, time.now, options.random ?? (() => 0));
	return { time, limiter };
}

/** Sends `n` requests one after another, each accepted, and returns how long they took. */
async function sendAccepted(limiter: Limiter, time: ReturnType<typeof fakeTime>, n: number): Promise<number> {
	const start = time.now();
	for (let i = 0; i < n; i++) {
		await limiter.acquire();
		limiter.release();
		limiter.recordAccepted();
	}
	return time.now() - start;
}

describe('Limiter', () => {
	it('is unpaced until the first 429; then every request of the client waits for the same pause', async () => {
		const { time, limiter } = gate();
		await sendAccepted(limiter, time, 10);
		expect(time.sleeps).toEqual([]);
		const sentAt = await limiter.acquire();
		limiter.release();
		limiter.rateLimited(2000, sentAt);
		const waits = await Promise.all([1, 2, 3].map(async () => {
			await limiter.acquire();
			limiter.release();
			return time.now();
		}));
		expect(Math.min(...waits)).toBeGreaterThanOrEqual(2000);
	});

	it('after a 429 the pace is a fraction of what Plek accepted, and grows back gradually', async () => {
		const { time, limiter } = gate();
		// 100 accepted in one second (50 of them a burst the server allowed), then a 429.
		for (let i = 0; i < 100; i++) {
			await limiter.acquire();
			limiter.release();
			limiter.recordAccepted();
			await time.sleep(10);
		}
		limiter.rateLimited(1000, time.now());
		expect(limiter.currentRate()).toBeCloseTo(90, 0); // 90% of the 100/s Plek accepted
		const taken = await sendAccepted(limiter, time, 50);
		expect(taken).toBeGreaterThanOrEqual(1000 + 49 * (1000 / 90) - 1); // the pause, then 1/90 s apart
		// A later 429 lowers the pace by 10% of the accepted rate only.
		limiter.rateLimited(1000, time.now());
		const afterSecond = limiter.currentRate();
		expect(afterSecond).toBeGreaterThan(40);
		expect(afterSecond).toBeLessThan(90);
		// Recovery: 30 s without a 429 raise the pace a little (0.5% per second), not back to unpaced.
		await time.sleep(30_000);
		await sendAccepted(limiter, time, 1);
		expect(limiter.currentRate()).toBeGreaterThan(afterSecond * 1.1);
		expect(limiter.currentRate()).toBeLessThan(afterSecond * 1.2);
	});

	it('429s of requests sent before a decrease do not lower the pace again (one decrease per episode)', async () => {
		const { time, limiter } = gate();
		const sent: number[] = [];
		for (let i = 0; i < 40; i++) {
			sent.push(await limiter.acquire());
			limiter.release();
			limiter.recordAccepted();
			await time.sleep(25);
		}
		limiter.rateLimited(1000, sent[39]);
		const once = limiter.currentRate();
		for (const at of sent.slice(30)) limiter.rateLimited(1000, at);
		expect(limiter.currentRate()).toBe(once);
	});

	it('pauses are stretched by up to 10% at random (jitter) and never beyond the configured cap', async () => {
		const { time, limiter } = gate({ random: () => 1, cap: 20 });
		await sendAccepted(limiter, time, 5);
		const before = time.now();
		limiter.rateLimited(1000, time.now());
		await sendAccepted(limiter, time, 1);
		expect(time.now() - before).toBe(1100);
		await time.sleep(3_600_000);
		await sendAccepted(limiter, time, 1);
		expect(limiter.currentRate()).toBe(20);
	});
});
