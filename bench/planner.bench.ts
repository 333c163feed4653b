// The planner must stay linear in the number of users (maps, no nested scans). Baseline: planning N users;
// measured: planning 4N users in the same process. Linear work gives a ratio near 4, quadratic work near 16.
// Also reports heap growth per planned user.
import { planSync } from '../core/sync/planner';
import type { ScimUser } from '../core/types';
import { median, people, report, timed } from './common';

function currentState(n: number): ScimUser[] {
	// Plek holds everyone, with every 10th person's family name out of date (so there is work to plan).
	return people(n).map((p, i) => ({
		id: `id-${i}`,
		externalId: p.key,
		userName: p.userName as string,
		active: true,
		name: { givenName: p.profile['name.givenName'], familyName: i % 10 === 0 ? 'Old' : p.profile['name.familyName'] },
		emails: [{ type: 'work', value: p.profile['emails[type eq "work"].value'] }],
		title: p.profile.title,
		'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
			department: p.profile['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'],
		},
	}));
}

async function planMs(n: number): Promise<{ ms: number; steps: number }> {
	const desired = people(n);
	const users = currentState(n);
	const runs: number[] = [];
	let steps = 0;
	for (let round = 0; round < 5; round++) {
		global.gc?.(); // collect the previous round's garbage outside the timed region
		const { ms, value } = await timed(() => planSync(desired, { users, groups: [] }, { groups: false }));
		runs.push(ms);
		steps = value.steps.length;
	}
	return { ms: median(runs), steps };
}

async function main() {
	const n = Number(process.env.BENCH_USERS ?? 10000);
	await planMs(1000); // warm up the JIT
	const base = await planMs(n);
	const big = await planMs(4 * n);
	const desired = people(4 * n);
	const users = currentState(4 * n);
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const plan = planSync(desired, { users, groups: [] }, { groups: false });
	const heapAfter = process.memoryUsage().heapUsed;
	report(`planSync, ${n} vs ${4 * n} users, 10% with a changed attribute (median of 5)`, {
		[`baseline: ${n} users (ms)`]: base.ms.toFixed(1),
		[`${4 * n} users (ms)`]: big.ms.toFixed(1),
		'time ratio (4x users; linear = 4)': (big.ms / base.ms).toFixed(2),
		'update steps planned (4x run)': big.steps,
		'heap growth per user for the plan (bytes)': Math.round((heapAfter - heapBefore) / (4 * n)),
		'plan steps held': plan.steps.length,
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
