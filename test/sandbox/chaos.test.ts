import axios from 'axios';

import { RunningSandbox, startSandbox, type SandboxClock } from '../../sandbox/server';
import { newUser } from './helpers';

const headers = { Authorization: 'Bearer t' };
const http = axios.create({ validateStatus: () => true, headers });

/** Sends `count` sequential GETs and returns each outcome: the status, or the socket error code. */
async function outcomes(sandbox: RunningSandbox, count: number): Promise<string[]> {
	const results: string[] = [];
	for (let i = 0; i < count; i++) {
		try {
			results.push(String((await http.get(`${sandbox.scimUrl}/Users`)).status));
		} catch (error: any) {
			results.push(error.code ?? 'error');
		}
	}
	return results;
}

interface HeldWait {
	ms: number;
	release: () => void;
}

/** A clock the test moves by hand: time stands still until `advance`, and every wait is held until released. */
function manualClock(start = 1_000_000): SandboxClock & { advance(ms: number): void; nextWait(): Promise<HeldWait> } {
	let time = start;
	const held: HeldWait[] = [];
	const waiting: Array<(wait: HeldWait) => void> = [];
	return {
		now: () => time,
		advance: (ms) => {
			time += ms;
		},
		after: (ms, release) => {
			const wait = { ms, release };
			const waiter = waiting.shift();
			if (waiter) waiter(wait);
			else held.push(wait);
		},
		nextWait: async () => held.shift() ?? (await new Promise<HeldWait>((resolve) => waiting.push(resolve))),
	};
}

describe('sandbox rate limit, latency and seeded faults', () => {
	it('answers 429 with Retry-After and a SCIM error above the configured rate', async () => {
		const rate = 3;
		const clock = manualClock();
		const sandbox = await startSandbox({ staticToken: 't', requestsPerSecond: rate, clock });
		try {
			const responses = await Promise.all(Array.from({ length: 30 }, () => http.get(`${sandbox.scimUrl}/Users`)));
			const passed = responses.filter((response) => response.status === 200).length;
			const limited = responses.filter((response) => response.status === 429);
			// A burst of one second's worth, then `rate` per second: with the clock standing still, the burst alone.
			expect(passed).toBe(rate);
			expect(limited).toHaveLength(30 - passed);
			expect(Number(limited[0].headers['retry-after'])).toBe(1);
			expect(limited[0].data).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });

			// After waiting as told, requests pass again: one second's worth, then the limit holds.
			clock.advance(Number(limited[0].headers['retry-after']) * 1000);
			const after = await outcomes(sandbox, rate + 1);
			expect(after).toEqual([...Array<string>(rate).fill('200'), '429']);

			// The admin endpoints are never limited.
			expect((await http.get(`${sandbox.url}/_sandbox/counters`)).status).toBe(200);
		} finally {
			await sandbox.close();
		}
	});

	it('replays the same sequence of injected faults for the same seed', async () => {
		const knobs = { staticToken: 't', faultRate: 0.3, dropRate: 0.2 };
		const first = await startSandbox({ ...knobs, seed: 42 });
		const second = await startSandbox({ ...knobs, seed: 42 });
		const other = await startSandbox({ ...knobs, seed: 7 });
		try {
			const a = await outcomes(first, 40);
			const b = await outcomes(second, 40);
			const c = await outcomes(other, 40);
			expect(a).toEqual(b);
			expect(a).not.toEqual(c);
			expect(a.some((outcome) => ['500', '502', '503'].includes(outcome))).toBe(true);
			expect(a).toContain('200');
			expect(a).toContain('ECONNRESET');

			// Re-seeding at run time restarts the same sequence.
			first.setFaults({ seed: 42 });
			expect(await outcomes(first, 40)).toEqual(a);
		} finally {
			await Promise.all([first.close(), second.close(), other.close()]);
		}
	});

	it('answers injected faults with a SCIM error body and counts drops', async () => {
		const sandbox = await startSandbox({ staticToken: 't', faultRate: 1, seed: 1 });
		try {
			const response = await http.get(`${sandbox.scimUrl}/Users`);
			expect([500, 502, 503]).toContain(response.status);
			expect(response.data.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);

			sandbox.setFaults({ faultRate: 0, dropRate: 1 });
			await expect(http.get(`${sandbox.scimUrl}/Users`)).rejects.toMatchObject({ code: 'ECONNRESET' });
			expect(sandbox.counters().dropped).toBe(1);
			expect(sandbox.counters().byRoute['GET /scim/v2/Users']).toEqual({ [String(response.status)]: 1, dropped: 1 });
		} finally {
			await sandbox.close();
		}
	});

	it('applies some dropped writes before dropping them, so clients must look up lost creates', async () => {
		const sandbox = await startSandbox({ staticToken: 't', dropRate: 1, seed: 3 });
		try {
			let failures = 0;
			for (let i = 0; i < 12; i++) {
				await http.post(`${sandbox.scimUrl}/Users`, newUser(`d${i}`)).catch(() => failures++);
			}
			expect(failures).toBe(12);
			const applied = sandbox.users().length;
			expect(applied).toBeGreaterThan(0);
			expect(applied).toBeLessThan(12);

			// Switching faults off at run time: the retry of an applied create now meets 409, the others succeed.
			sandbox.setFaults({ dropRate: 0 });
			const retries = await Promise.all(
				Array.from({ length: 12 }, (_, i) => http.post(`${sandbox.scimUrl}/Users`, newUser(`d${i}`))),
			);
			expect(retries.filter((response) => response.status === 409)).toHaveLength(applied);
			expect(sandbox.users()).toHaveLength(12);
		} finally {
			await sandbox.close();
		}
	});

	it('adds the configured latency', async () => {
		const clock = manualClock();
		const sandbox = await startSandbox({ staticToken: 't', latencyMs: { min: 150, max: 200 }, seed: 9, clock });
		try {
			let answered = false;
			const response = http.get(`${sandbox.scimUrl}/Users`).then((r) => {
				answered = true;
				return r;
			});
			// The request is held for a drawn latency within the range, and is answered only once that time has passed.
			const wait = await clock.nextWait();
			expect(wait.ms).toBeGreaterThanOrEqual(150);
			expect(wait.ms).toBeLessThanOrEqual(200);
			await new Promise((resolve) => setImmediate(resolve));
			expect(answered).toBe(false);
			wait.release();
			expect((await response).status).toBe(200);
		} finally {
			await sandbox.close();
		}
	});

	it('refuses invalid knobs', async () => {
		await expect(startSandbox({ faultRate: 2 })).rejects.toThrow(/faultRate/);
		const sandbox = await startSandbox({ staticToken: 't' });
		try {
			expect(() => sandbox.setFaults({ dropRate: -1 })).toThrow(/dropRate/);
			const response = await http.post(`${sandbox.url}/_sandbox/faults`, { faultRatio: 0.5 });
			expect(response.status).toBe(400);
			expect(sandbox.faults().faultRate).toBe(0);
		} finally {
			await sandbox.close();
		}
	});
});
